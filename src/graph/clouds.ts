import { UserError } from '../errors.js';

export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type CloudName = (typeof CLOUDS)[number];

export interface CloudEndpoints {
  /** Graph root without version, e.g. `https://graph.microsoft.com`. */
  graph: string;
  /** Microsoft Entra authority host for token requests. */
  login: string;
}

/**
 * Graph and login hosts of each national cloud, as listed in Microsoft's national cloud
 * deployments page (https://learn.microsoft.com/graph/deployments). GCC (not High) tenants
 * use the global endpoints.
 */
export const CLOUD_ENDPOINTS: Record<CloudName, CloudEndpoints> = {
  global: { graph: 'https://graph.microsoft.com', login: 'https://login.microsoftonline.com' },
  usgov: { graph: 'https://graph.microsoft.us', login: 'https://login.microsoftonline.us' },
  usgovdod: { graph: 'https://dod-graph.microsoft.us', login: 'https://login.microsoftonline.us' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', login: 'https://login.chinacloudapi.cn' },
};

export function parseCloud(value: string): CloudName {
  if ((CLOUDS as readonly string[]).includes(value)) return value as CloudName;
  throw new UserError(`unknown cloud "${value}"`, `use one of ${CLOUDS.join(', ')}`);
}
