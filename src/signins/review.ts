import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { Severity } from '../checks/types.js';
import { SEVERITIES, severityRank } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { normaliseRecord } from './normalise.js';
import { BETA_ONLY_FIELDS, type AuditEvent, type SignInEvent } from './event.js';
import { DETECTIONS } from './detections/index.js';
import { isDeviceCode, succeeded } from './detections/helpers.js';
import {
  DEFAULT_SETTINGS,
  DETECTION_IDS,
  type Alert,
  type DetectionContext,
  type DetectionId,
  type DetectionSettings,
  type UserActivity,
} from './detections/types.js';
import { createEnricher, type Enricher } from './enrich.js';
import { isGzip, isUtf16 } from './input.js';
import { reviewNdjsonInParallel } from './parallel.js';
import { detectFormat, newReadStats, readLogRecords, type LogRecord, type ReadOptions, type ReadStats } from './read.js';

/** Sign-ins kept by Entra ID P1/P2 tenants; the Graph API and the portal return at most this many days. */
export const SIGN_IN_RETENTION_DAYS = 30;

export interface ReviewOptions extends ReadOptions {
  since?: Date;
  until?: Date;
  /** UPNs or object ids; only their events are reviewed. */
  users?: string[];
  engagement?: Engagement | null;
  settings?: Partial<DetectionSettings>;
  /** An enricher, or false for the log's own country and ASN with the hosting list (no IP database). Default: the offline database. */
  enricher?: Enricher | false;
  /** Directory audit events already loaded (from a snapshot), added to those read from the files. */
  audits?: AuditEvent[];
  /** Called about every 10,000 records with the count so far, for a progress bar. */
  onProgress?: (records: number) => void;
  /** Users whose full timeline is returned; by default, users with at least one alert. */
  timelineUsers?: string[];
  /**
   * Plain NDJSON input of at least this many bytes in total is reviewed on worker threads, with
   * partitions spilled to disk (see parallel.ts). The default is 64 MiB, and `Infinity` keeps it in memory.
   */
  parallelFromBytes?: number;
}

export interface DeviceCodeUser {
  user: string;
  userId: string | null;
  displayName: string | null;
  signIns: number;
  first: string;
  last: string;
  apps: { appId: string | null; appDisplayName: string | null; signIns: number }[];
  /** Up to 10 IP addresses. */
  ips: string[];
  countries: string[];
}

/** Plain data for the report's sign-in review section and the `signins --json` summary. */
export interface SignInSummary {
  /** True when at least one sign-in log file was read. */
  present: boolean;
  files: ReadStats['files'];
  skippedRecords: number;
  skippedExamples: ReadStats['skippedExamples'];
  ignoredRecords: Record<string, number>;
  eventCount: number;
  auditCount: number;
  userCount: number;
  period: { from: string | null; to: string | null; days: number };
  retentionDays: number;
  /** Events carrying each beta-only token-theft field. */
  betaFieldCoverage: Record<(typeof BETA_ONLY_FIELDS)[number], number>;
  /** Beta-only fields that no event carries: the log is a v1.0 export or an old Sentinel table. */
  missingBetaFields: string[];
  /** False when no event carries authenticationProtocol, so device-code use cannot be ruled out. */
  carriesAuthenticationProtocol: boolean;
  deviceCode: { signIns: number; blockedAttempts: number; users: DeviceCodeUser[] };
  alertsByDetection: Record<DetectionId, number>;
  alertsBySeverity: Record<Severity, number>;
  filters: { since: string | null; until: string | null; users: string[] };
  /** Problems with the input that do not stop the review, such as a record count that disagrees with manifest.json. */
  warnings?: string[];
}

export interface TimelineEntry {
  time: string;
  id: string;
  ip: string | null;
  country: string | null;
  asn: number | null;
  app: string | null;
  protocol: string | null;
  interactive: boolean | null;
  result: number | null;
  sessionId: string | null;
  /** Detections whose evidence names this event. */
  alerts: DetectionId[];
}

export interface ReviewResult {
  alerts: Alert[];
  summary: SignInSummary;
  timelines: { user: string; userId: string | null; entries: TimelineEntry[] }[];
}

/**
 * Returns the files without repeats. A file named twice, by the same path or through a symbolic or
 * hard link, would count its sign-ins twice; it is read once. Names that cannot be opened are kept
 * for the reader to report.
 */
async function distinctFiles(givenFiles: string[]): Promise<string[]> {
  const byIdentity = new Map<string, string>();
  for (const file of givenFiles) {
    const info = await stat(file).catch(() => null);
    const identity = info?.isFile() ? `${info.dev}:${info.ino}` : `path:${resolve(file)}`;
    if (!byIdentity.has(identity)) byIdentity.set(identity, file);
  }
  return [...byIdentity.values()];
}

/** Reads, enriches and reviews sign-in and audit logs. Alerts do not depend on the order of events in the input. */
export async function reviewSignIns(givenFiles: string[], options: ReviewOptions = {}): Promise<ReviewResult> {
  const files = await distinctFiles(givenFiles);
  const suits = await suitsParallelReview(files, options);
  if (suits === true) return reviewNdjsonInParallel(files, options);
  if (suits !== false) {
    // A file that cannot be read as a log: the files before it are read first, as the in-memory
    // reader reads them, so that a bad record in one of them is the error reported.
    if (suits.failedAt > 0) await reviewSignIns(files.slice(0, suits.failedAt), options);
    throw suits.error;
  }
  const stats = options.stats ?? newReadStats();
  const enricher = options.enricher === false ? await createEnricher({ useDatabase: false }) : (options.enricher ?? (await createEnricher()));
  const collector = new ActivityCollector(options);
  let records = 0;
  for await (const record of readLogRecords(files, { ...options, stats })) {
    collector.add(record, enricher);
    records++;
    if (options.onProgress && records % 10_000 === 0) options.onProgress(records);
  }
  for (const audit of options.audits ?? []) collector.add({ kind: 'audit', event: audit }, enricher);
  return collector.finish(stats, options);
}

const DEFAULT_PARALLEL_FROM_BYTES = 64 << 20;

/**
 * Returns true for large plain NDJSON input that the in-memory review would hold whole. When a file
 * cannot be read as a log at all (empty, not text, not JSON), returns its index and the error.
 */
async function suitsParallelReview(files: string[], options: ReviewOptions): Promise<boolean | { failedAt: number; error: unknown }> {
  const threshold = options.parallelFromBytes ?? DEFAULT_PARALLEL_FROM_BYTES;
  if (files.length === 0 || !Number.isFinite(threshold)) return false;
  if (options.enricher !== undefined && options.enricher !== false) return false;
  if (options.format && options.format !== 'auto' && options.format !== 'ndjson') return false;
  let total = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return false;
    total += info.size;
  }
  if (total < threshold) return false;
  for (const [index, file] of files.entries()) {
    try {
      // The workers read UTF-8 bytes; gzip and UTF-16 go through the in-memory reader's decoder.
      if ((await isGzip(file)) || (await isUtf16(file)) || (options.format !== 'ndjson' && (await detectFormat(file)) !== 'ndjson')) return false;
    } catch (error) {
      return { failedAt: index, error };
    }
  }
  return true;
}

/**
 * Compares the records read from a snapshot's signIns/ files with the count in manifest.json, and
 * adds a warning to the summary when they differ. Without it, files replaced by an error page or
 * cut short would read as a quiet tenant. Returns the warning, or null.
 */
export function checkManifestCount(summary: SignInSummary, manifestCount: number | undefined): string | null {
  if (manifestCount === undefined || !Number.isFinite(manifestCount)) return null;
  const read = summary.files.reduce((sum, file) => sum + file.records, 0);
  if (read === manifestCount) return null;
  const warning = `manifest.json records ${manifestCount} sign-ins, but the files under signIns/ hold ${read} records; files may be missing, replaced or cut short, so collect the sign-ins again`;
  summary.warnings = [...(summary.warnings ?? []), warning];
  return warning;
}

/** The parts of a snapshot that the sign-in review reads. */
export interface SignInSnapshot {
  signInFiles: string[];
  resources: { directoryAudits?: unknown[] };
  manifest?: { resources?: { signIns?: { count?: number } } };
  /** The manifest count warning is added here too, so the assessment report lists it with the load warnings. */
  warnings?: { file: string; message: string }[];
  dir?: string;
}

/** Reviews a snapshot's sign-in files with its directory audits, and checks the record count against manifest.json. */
export async function reviewSnapshotSignIns(
  snapshot: SignInSnapshot,
  options: { engagement: Engagement | null; now: Date; enricher?: Enricher | false },
): Promise<ReviewResult> {
  const audits: AuditEvent[] = [];
  for (const audit of snapshot.resources.directoryAudits ?? []) {
    try {
      const normalised = normaliseRecord(audit);
      if (normalised.kind === 'audit') audits.push(normalised.event);
    } catch {
      // The snapshot loader validates directoryAudits; an entry that is not an audit event is not evidence.
    }
  }
  const result = await reviewSignIns(snapshot.signInFiles, {
    engagement: options.engagement,
    until: options.now,
    audits,
    ...(options.enricher !== undefined ? { enricher: options.enricher } : {}),
    timelineUsers: [],
  });
  const warning = checkManifestCount(result.summary, snapshot.manifest?.resources?.signIns?.count);
  if (warning && snapshot.warnings) snapshot.warnings.push({ file: snapshot.dir ? join(snapshot.dir, 'manifest.json') : 'manifest.json', message: warning });
  return result;
}

/** Builds the review's summary from a snapshot's sign-in files, for the assessment report. */
export async function summarizeSignIns(snapshot: SignInSnapshot, options: { engagement: Engagement | null; now: Date; enricher?: Enricher | false }): Promise<SignInSummary> {
  return (await reviewSnapshotSignIns(snapshot, options)).summary;
}

/** Returns the user an event belongs to in the review: the object id, else the UPN, lower-cased. */
export function activityKey(event: SignInEvent): string {
  const upn = event.userPrincipalName?.toLowerCase() ?? null;
  return event.userId?.toLowerCase() || (upn ?? '(unknown user)');
}

/** The counts the summary needs of a user whose events skip the detections. */
export interface QuietUserTally {
  events: number;
  /** Events carrying each of BETA_ONLY_FIELDS, in that order. */
  coverage: number[];
  /** ISO 8601 times of the first and last event. */
  from: string;
  to: string;
}

/** Groups events by user and keeps the running summary. */
export class ActivityCollector {
  private readonly byUser = new Map<string, UserActivity>();
  private readonly auditsByUser = new Map<string, AuditEvent[]>();
  private readonly userFilter: Set<string> | null;
  private readonly since: string | null;
  private readonly until: string | null;
  private readonly coverage = Object.fromEntries(BETA_ONLY_FIELDS.map((field) => [field, 0])) as SignInSummary['betaFieldCoverage'];
  private eventCount = 0;
  private auditCount = 0;
  private quietUsers = 0;
  private from: string | null = null;
  private to: string | null = null;

  constructor(options: ReviewOptions) {
    this.userFilter = options.users && options.users.length > 0 ? new Set(options.users.map((user) => user.toLowerCase())) : null;
    this.since = options.since ? options.since.toISOString() : null;
    this.until = options.until ? options.until.toISOString() : null;
  }

  /** Adds one record; `'keep'` keeps the `network` facts an earlier stage added. */
  add(record: LogRecord, enricher: Enricher | 'keep'): void {
    if (record.kind === 'audit') {
      this.addAudit(record.event);
      return;
    }
    const event = record.event;
    if ((this.since && event.createdDateTime < this.since) || (this.until && event.createdDateTime > this.until)) return;
    const upn = event.userPrincipalName?.toLowerCase() ?? null;
    const id = event.userId?.toLowerCase() || null;
    if (this.userFilter && !((upn && this.userFilter.has(upn)) || (id && this.userFilter.has(id)))) return;
    const key = activityKey(event);
    if (enricher !== 'keep') enricher.enrich(event);

    this.eventCount++;
    for (const field of BETA_ONLY_FIELDS) if (event[field] !== undefined) this.coverage[field]++;
    if (this.from === null || event.createdDateTime < this.from) this.from = event.createdDateTime;
    if (this.to === null || event.createdDateTime > this.to) this.to = event.createdDateTime;

    let activity = this.byUser.get(key);
    if (!activity) {
      activity = { key, user: upn ?? key, userId: event.userId ?? null, signIns: [], audits: [] };
      this.byUser.set(key, activity);
    }
    if (activity.user === key && upn) activity.user = upn;
    activity.signIns.push(event);
  }

  /** Lower-cased keys and UPNs of the users added with their events, to find their audit events. */
  userKeys(): string[] {
    return [...this.byUser.values()].flatMap((activity) => [activity.key, activity.user]);
  }

  /**
   * Counts the events of a user whose events the detections need not see (see detections/gate.ts):
   * such a user gets no alert and no timeline, so only the summary counts change.
   */
  addQuietUser(tally: QuietUserTally): void {
    this.quietUsers++;
    this.eventCount += tally.events;
    BETA_ONLY_FIELDS.forEach((field, index) => (this.coverage[field] += tally.coverage[index]!));
    if (this.from === null || tally.from < this.from) this.from = tally.from;
    if (this.to === null || tally.to > this.to) this.to = tally.to;
  }

  private addAudit(audit: AuditEvent): void {
    if ((this.since && audit.activityDateTime < this.since) || (this.until && audit.activityDateTime > this.until)) return;
    this.auditCount++;
    // An audit event belongs to each user it targets and to the user who initiated it.
    const keys = new Set<string>();
    for (const target of audit.targets) {
      if (target.type && target.type.toLowerCase() !== 'user') continue;
      if (target.id) keys.add(target.id.toLowerCase());
      if (target.userPrincipalName) keys.add(target.userPrincipalName.toLowerCase());
    }
    if (audit.initiatedBy?.userId) keys.add(audit.initiatedBy.userId.toLowerCase());
    if (audit.initiatedBy?.userPrincipalName) keys.add(audit.initiatedBy.userPrincipalName.toLowerCase());
    for (const key of keys) {
      const list = this.auditsByUser.get(key);
      if (list) list.push(audit);
      else this.auditsByUser.set(key, [audit]);
    }
  }

  finish(stats: ReadStats, options: ReviewOptions): ReviewResult {
    const context: DetectionContext = {
      settings: { ...DEFAULT_SETTINGS, ...options.settings },
      breakGlass: new Set((options.engagement?.breakGlassAccounts ?? []).map((account) => account.toLowerCase())),
    };
    const alerts: Alert[] = [];
    const deviceCodeUsers: DeviceCodeUser[] = [];
    let deviceCodeSignIns = 0;
    let blockedAttempts = 0;
    const activities = [...this.byUser.values()].sort((a, b) => compareText(a.key, b.key));
    const requestedTimelineUsers = options.timelineUsers ? new Set(options.timelineUsers.map((user) => user.toLowerCase())) : null;
    const timelines: ReviewResult['timelines'] = [];

    for (const activity of activities) {
      activity.signIns.sort(compareEvents);
      const audits = new Map<string, AuditEvent>();
      for (const key of [activity.key, activity.user]) for (const audit of this.auditsByUser.get(key) ?? []) audits.set(audit.id, audit);
      activity.audits = [...audits.values()].sort((a, b) => compareText(a.activityDateTime, b.activityDateTime) || compareText(a.id, b.id));

      const userAlerts = DETECTIONS.flatMap((detection) => detection.detect(activity, context));
      alerts.push(...userAlerts);

      const deviceCode = activity.signIns.filter((event) => isDeviceCode(event) && succeeded(event));
      blockedAttempts += activity.signIns.filter((event) => isDeviceCode(event) && !succeeded(event)).length;
      if (deviceCode.length > 0) {
        deviceCodeSignIns += deviceCode.length;
        deviceCodeUsers.push(deviceCodeUser(activity, deviceCode));
      }
      const showTimeline = requestedTimelineUsers ? requestedTimelineUsers.has(activity.user) || requestedTimelineUsers.has(activity.key) : userAlerts.length > 0;
      if (showTimeline) timelines.push({ user: activity.user, userId: activity.userId, entries: timeline(activity.signIns, userAlerts) });
    }

    alerts.sort((a, b) => compareText(a.time, b.time) || compareText(a.detection, b.detection) || compareText(a.user, b.user) || compareText(a.events[0]?.id ?? '', b.events[0]?.id ?? ''));
    const alertsByDetection = Object.fromEntries(DETECTION_IDS.map((id) => [id, 0])) as Record<DetectionId, number>;
    const alertsBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
    for (const alert of alerts) {
      alertsByDetection[alert.detection]++;
      alertsBySeverity[alert.severity]++;
    }
    const days = periodDays(this.from, this.to);
    const summary: SignInSummary = {
      present: stats.files.length > 0,
      files: stats.files,
      skippedRecords: stats.files.reduce((sum, file) => sum + file.skipped, 0),
      skippedExamples: stats.skippedExamples,
      ignoredRecords: stats.ignoredByReason,
      eventCount: this.eventCount,
      auditCount: this.auditCount,
      userCount: this.byUser.size + this.quietUsers,
      period: { from: this.from, to: this.to, days },
      retentionDays: SIGN_IN_RETENTION_DAYS,
      betaFieldCoverage: this.coverage,
      missingBetaFields: BETA_ONLY_FIELDS.filter((field) => this.coverage[field] === 0),
      carriesAuthenticationProtocol: this.coverage.authenticationProtocol > 0,
      deviceCode: {
        signIns: deviceCodeSignIns,
        blockedAttempts,
        users: deviceCodeUsers.sort((a, b) => b.signIns - a.signIns || compareText(a.user, b.user)),
      },
      alertsByDetection,
      alertsBySeverity,
      filters: { since: this.since, until: this.until, users: [...(this.userFilter ?? [])] },
    };
    return { alerts: alerts.sort(bySeverityThenTime), summary, timelines: timelines.sort(byTimelineUser) };
  }
}

/**
 * Combines the results of partitions that each contain all events of their users (the parallel
 * review), with the read statistics and audit count of the whole input.
 */
export function mergeReviewResults(parts: ReviewResult[], stats: ReadStats, auditCount: number, filters: SignInSummary['filters']): ReviewResult {
  const alerts = parts.flatMap((part) => part.alerts).sort(bySeverityThenTime);

  const coverage = Object.fromEntries(BETA_ONLY_FIELDS.map((field) => [field, parts.reduce((sum, part) => sum + part.summary.betaFieldCoverage[field], 0)])) as SignInSummary['betaFieldCoverage'];
  const froms = parts.map((part) => part.summary.period.from).filter((value): value is string => value !== null).sort();
  const tos = parts.map((part) => part.summary.period.to).filter((value): value is string => value !== null).sort();
  const from = froms[0] ?? null;
  const to = tos[tos.length - 1] ?? null;

  const alertsByDetection = Object.fromEntries(DETECTION_IDS.map((id) => [id, 0])) as Record<DetectionId, number>;
  const alertsBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const alert of alerts) {
    alertsByDetection[alert.detection]++;
    alertsBySeverity[alert.severity]++;
  }

  const summary: SignInSummary = {
    present: stats.files.length > 0,
    files: stats.files,
    skippedRecords: stats.files.reduce((sum, file) => sum + file.skipped, 0),
    skippedExamples: stats.skippedExamples,
    ignoredRecords: stats.ignoredByReason,
    eventCount: parts.reduce((sum, part) => sum + part.summary.eventCount, 0),
    auditCount,
    userCount: parts.reduce((sum, part) => sum + part.summary.userCount, 0),
    period: { from, to, days: periodDays(from, to) },
    retentionDays: SIGN_IN_RETENTION_DAYS,
    betaFieldCoverage: coverage,
    missingBetaFields: BETA_ONLY_FIELDS.filter((field) => coverage[field] === 0),
    carriesAuthenticationProtocol: coverage.authenticationProtocol > 0,
    deviceCode: {
      signIns: parts.reduce((sum, part) => sum + part.summary.deviceCode.signIns, 0),
      blockedAttempts: parts.reduce((sum, part) => sum + part.summary.deviceCode.blockedAttempts, 0),
      users: parts.flatMap((part) => part.summary.deviceCode.users).sort((a, b) => b.signIns - a.signIns || compareText(a.user, b.user)),
    },
    alertsByDetection,
    alertsBySeverity,
    filters,
  };

  const timelines = parts.flatMap((part) => part.timelines).sort(byTimelineUser);
  return { alerts, summary, timelines };
}

function periodDays(from: string | null, to: string | null): number {
  return from && to ? Math.round(((Date.parse(to) - Date.parse(from)) / 86_400_000) * 10) / 10 : 0;
}

/** Timelines by user, as the parallel review merges them from its partitions. */
function byTimelineUser(a: ReviewResult['timelines'][number], b: ReviewResult['timelines'][number]): number {
  // Two activities share a user when some events lack the object id; the one with the id comes first.
  return compareText(a.user, b.user) || Number(a.userId === null) - Number(b.userId === null) || compareText(a.userId ?? '', b.userId ?? '');
}

function bySeverityThenTime(a: Alert, b: Alert): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareText(a.time, b.time) || compareText(a.detection, b.detection) || compareText(a.user, b.user) || compareText(a.events[0]?.id ?? '', b.events[0]?.id ?? '');
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Orders by time, then id, so that equal times from different inputs sort the same way. */
export function compareEvents(a: SignInEvent, b: SignInEvent): number {
  return compareText(a.createdDateTime, b.createdDateTime) || compareText(a.id, b.id);
}

function deviceCodeUser(activity: UserActivity, events: SignInEvent[]): DeviceCodeUser {
  const apps = new Map<string, DeviceCodeUser['apps'][number]>();
  for (const event of events) {
    const key = event.appId ?? event.appDisplayName ?? '';
    const app = apps.get(key) ?? { appId: event.appId ?? null, appDisplayName: event.appDisplayName ?? null, signIns: 0 };
    app.signIns++;
    apps.set(key, app);
  }
  return {
    user: activity.user,
    userId: activity.userId,
    displayName: events.find((event) => event.userDisplayName)?.userDisplayName ?? null,
    signIns: events.length,
    first: events[0]!.createdDateTime,
    last: events[events.length - 1]!.createdDateTime,
    apps: [...apps.values()].sort((a, b) => b.signIns - a.signIns),
    ips: [...new Set(events.map((event) => event.ipAddress).filter((ip): ip is string => Boolean(ip)))].slice(0, 10),
    countries: [...new Set(events.map((event) => event.network?.country).filter((value): value is string => Boolean(value)))],
  };
}

function timeline(events: SignInEvent[], alerts: Alert[]): TimelineEntry[] {
  const alertsByEvent = new Map<string, Set<DetectionId>>();
  for (const alert of alerts) {
    for (const evidence of alert.events) {
      const set = alertsByEvent.get(evidence.id) ?? new Set<DetectionId>();
      set.add(alert.detection);
      alertsByEvent.set(evidence.id, set);
    }
  }
  return events.map((event) => ({
    time: event.createdDateTime,
    id: event.id,
    ip: event.ipAddress ?? null,
    country: event.network?.country ?? null,
    asn: event.network?.asn ?? null,
    app: event.appDisplayName ?? event.appId ?? null,
    protocol: event.authenticationProtocol ?? null,
    interactive: event.isInteractive ?? null,
    result: event.status?.errorCode ?? null,
    sessionId: event.sessionId ?? null,
    alerts: [...(alertsByEvent.get(event.id) ?? [])].sort(),
  }));
}
