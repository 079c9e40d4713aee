import { authenticationTransfer } from './authentication-transfer.js';
import { breakGlassSignIn } from './break-glass-sign-in.js';
import { deviceCodeBlocked } from './device-code-blocked.js';
import { deviceCodeBrokerDeviceRegistration } from './device-code-broker-device-registration.js';
import { deviceCodeFirstUse } from './device-code-first-use.js';
import { deviceCodeSignIn } from './device-code-sign-in.js';
import { deviceCodeThenNewLocation } from './device-code-then-new-location.js';
import { hostingNetwork } from './hosting-network.js';
import { impossibleTravel } from './impossible-travel.js';
import { legacyAuthentication } from './legacy-authentication.js';
import { riskySignIn } from './risky-sign-in.js';
import { ropcSignIn } from './ropc-sign-in.js';
import { sessionReplay } from './session-replay.js';
import { suspiciousUserAgent } from './suspicious-user-agent.js';
import type { Detection } from './types.js';

/** Every detection, in the order of DETECTION_IDS. */
export const DETECTIONS: readonly Detection[] = [
  deviceCodeSignIn,
  deviceCodeFirstUse,
  deviceCodeThenNewLocation,
  deviceCodeBrokerDeviceRegistration,
  authenticationTransfer,
  sessionReplay,
  impossibleTravel,
  suspiciousUserAgent,
  legacyAuthentication,
  ropcSignIn,
  riskySignIn,
  hostingNetwork,
  breakGlassSignIn,
  deviceCodeBlocked,
];
