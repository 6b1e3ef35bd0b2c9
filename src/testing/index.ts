/**
 * `heed/testing`: helpers for people who write and unit-test policies. Kept out of the main entry
 * so test code never ships in an application bundle by accident.
 */
export { policySpec } from './policy-spec.js';
export type { ExpectedDetails, FindingExpectation, FindingExpectationsFor, PolicySpec, PolicySpecSetup, RejectionExpectation, Scenario, SpecEvent, SpecEventData, SpecEventOf, SpecEventsFor, SpecOutcome, SpecState, SpecSummary, SpecTypeNames } from './policy-spec.js';
