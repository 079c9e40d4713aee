import { UserError } from '../../errors.js';
import { FAULT_KINDS, type FakeFault, type FaultKind } from './server.js';

/**
 * Parses a fault given on the command line as `kind[,key=value...]`, for example
 * `throttle,match=/users,after=1,times=2,retryAfter=5` or `reset,match=/auditLogs/signIns`.
 * Keys: match, after, times, retryAfter (seconds or `date`), delayMs, inBatch and framed (true/false),
 * origin (for foreignNextLink), bytes (for oversized) and depth (for deepJson).
 */
export function parseFaultSpec(spec: string): FakeFault {
  const [kind, ...pairs] = spec.split(',').map((part) => part.trim());
  if (!(FAULT_KINDS as readonly string[]).includes(kind ?? '')) {
    throw new UserError(`unknown fault kind "${kind}" in "${spec}"`, `use one of: ${FAULT_KINDS.join(', ')}`);
  }
  const fault: FakeFault = { kind: kind as FaultKind };
  for (const pair of pairs) {
    const [key, value] = pair.split('=', 2) as [string, string | undefined];
    if (value === undefined) throw new UserError(`fault option "${pair}" in "${spec}" has no value`, 'write options as key=value');
    const count = (): number => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0) throw new UserError(`fault option ${key} must be a whole number, got "${value}"`, `for example ${key}=2`);
      return number;
    };
    switch (key) {
      case 'match': fault.match = value; break;
      case 'after': fault.after = count(); break;
      case 'times': fault.times = value === 'always' ? Number.POSITIVE_INFINITY : count(); break;
      case 'retryAfter': fault.retryAfter = value === 'date' ? 'date' : count(); break;
      case 'delayMs': fault.delayMs = count(); break;
      case 'inBatch': fault.inBatch = value === 'true'; break;
      case 'framed': fault.framed = value === 'true'; break;
      case 'origin': fault.origin = value; break;
      case 'bytes': fault.bytes = count(); break;
      case 'depth': fault.depth = count(); break;
      default: throw new UserError(`unknown fault option "${key}" in "${spec}"`, 'use match, after, times, retryAfter, delayMs, inBatch, framed, origin, bytes or depth');
    }
  }
  return fault;
}
