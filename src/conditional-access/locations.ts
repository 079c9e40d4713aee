import { BlockList, isIP } from 'node:net';

import type * as Graph from '@microsoft/microsoft-graph-types';

/** A named location compiled for lookups. */
export interface CompiledLocation {
  id: string;
  displayName: string;
  kind: 'ip' | 'country' | 'unsupported';
  isTrusted: boolean;
  ranges?: BlockList;
  countries?: ReadonlySet<string>;
  includeUnknownCountries?: boolean;
  /** Reason the location cannot be evaluated offline, for `unsupported` ones. */
  problem?: string;
}

/** Origin of a sign-in, resolved against the named locations once per evaluation. */
export interface SignInLocation {
  /** Lower-cased ids of the named locations that contain the sign-in. */
  inside: ReadonlySet<string>;
  trusted: boolean;
}

const compiledCache = new WeakMap<readonly Graph.NamedLocation[], Map<string, CompiledLocation>>();

function addRange(list: BlockList, cidr: string): boolean {
  const [address, prefixText] = cidr.trim().split('/');
  if (!address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) return false;
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return true;
}

function compileLocation(location: Graph.NamedLocation): CompiledLocation {
  const raw = location as Graph.NamedLocation & Graph.IpNamedLocation & Graph.CountryNamedLocation & Record<string, unknown>;
  const type = String(raw['@odata.type'] ?? '').toLowerCase();
  const id = String(raw.id ?? '').toLowerCase();
  const displayName = String(raw.displayName ?? raw.id ?? '');
  const isIpLocation = type.endsWith('ipnamedlocation') || (type === '' && Array.isArray(raw.ipRanges));
  const isCountryLocation = type.endsWith('countrynamedlocation') || (type === '' && Array.isArray(raw.countriesAndRegions));

  if (isIpLocation) {
    const ranges = new BlockList();
    const bad: string[] = [];
    for (const range of raw.ipRanges ?? []) {
      const cidr = (range as { cidrAddress?: unknown }).cidrAddress;
      if (typeof cidr !== 'string' || !addRange(ranges, cidr)) bad.push(String(cidr));
    }
    const compiled: CompiledLocation = { id, displayName, kind: 'ip', isTrusted: raw.isTrusted === true, ranges };
    if (bad.length > 0) compiled.problem = `invalid CIDR ranges ignored: ${bad.join(', ')}`;
    return compiled;
  }
  if (isCountryLocation) {
    return {
      id,
      displayName,
      kind: 'country',
      isTrusted: false,
      countries: new Set((raw.countriesAndRegions ?? []).map((code) => String(code).toUpperCase())),
      includeUnknownCountries: raw.includeUnknownCountriesAndRegions === true,
    };
  }
  return { id, displayName, kind: 'unsupported', isTrusted: false, problem: `named location type ${type || '(none)'} cannot be evaluated offline` };
}

export function compileLocations(locations: readonly Graph.NamedLocation[]): Map<string, CompiledLocation> {
  const cached = compiledCache.get(locations);
  if (cached) return cached;
  const compiled = new Map<string, CompiledLocation>();
  for (const location of locations) {
    const entry = compileLocation(location);
    if (entry.id !== '') compiled.set(entry.id, entry);
  }
  compiledCache.set(locations, compiled);
  return compiled;
}

/**
 * Resolves which named locations contain a sign-in. An IP is tested against IP ranges; the
 * country, when given, against country locations. Without a country the country is unknown, so
 * only country locations with includeUnknownCountriesAndRegions contain the sign-in.
 * NOTE: the legacy "MFA trusted IPs" list, which also counts as AllTrusted, is not in snapshots.
 */
export function resolveSignInLocation(locations: Map<string, CompiledLocation>, ip: string | undefined, country: string | undefined): SignInLocation {
  const inside = new Set<string>();
  let trusted = false;
  const family = ip === undefined ? 0 : isIP(ip);
  const upperCountry = country?.toUpperCase();
  for (const location of locations.values()) {
    let contains = false;
    if (location.kind === 'ip' && family !== 0) contains = location.ranges!.check(ip!, family === 4 ? 'ipv4' : 'ipv6');
    if (location.kind === 'country') {
      contains = upperCountry === undefined ? location.includeUnknownCountries === true : location.countries!.has(upperCountry);
    }
    if (contains) {
      inside.add(location.id);
      if (location.isTrusted) trusted = true;
    }
  }
  return { inside, trusted };
}
