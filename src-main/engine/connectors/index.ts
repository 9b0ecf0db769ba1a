export { predictInbound, predictOutbound } from './predict';
export type { ConnectorFacts, ConnectorSettings } from './predict';
export { coveredByAcceptedDomain, settingMatchesCertificateName } from './tls-domain';
export { deliveryVerdict, raiseWhenValidationImpossible } from './delivery';
export { certificateReasons } from './predict';
