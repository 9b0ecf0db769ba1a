/** SPF evaluation (RFC 7208): what the CLI, the domain check and the planner import. */
export { checkHost, isQueryableName, SPF_LIMITS, SPF_RESULTS, type SpfEvaluation, type SpfEvaluationOptions, type SpfRequest, type SpfResultCode, type SpfStep } from './check-host';
export { isSpfRecord, parseSpfRecord, parseSpfTerm, spfWords, domainSpecError, DNS_MECHANISMS, type ParsedSpfRecord, type SpfMechanism, type SpfModifier, type SpfTerm, type SpfTermError } from './record';
export { expandMacros, hasMacros, type MacroValues } from './macros';
export { parseSpfAddress, type SpfAddress } from './address';
export { flattenSpf, type FlattenedSpf, type FlattenOptions, type SpfRange, type SpfUnflattenable } from './flatten';
export { doesIpPassSpf, ownServerFinding, ownServerFindings, spfPathText, type OwnServerSpf } from './own-server';
