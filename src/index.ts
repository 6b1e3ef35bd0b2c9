/**
 * heed: the public API. Every export is named here on purpose; nothing leaks by `export *`.
 * Test helpers live in `heed/testing`, the PostgreSQL store in `heed/postgres`.
 */

// Engine
export { Engine } from './engine/engine.js';
export type { EngineEventName, EngineEvents, EngineListener, EngineOptions, FindingsFilter, RecordResult } from './engine/engine.js';
export { replay, replayValidated } from './engine/replay.js';
export type { ReplayEventsFor, ReplayedEvent, ReplayOptions, ReplayResult } from './engine/replay.js';
export type { Snapshot } from './engine/snapshot.js';
export { compareFindings, coreFindingKinds, findingKey, findingSeverities } from './engine/finding.js';
export type { CoreFindingKind, Finding, FindingChange, FindingSeverity } from './engine/finding.js';
export type { CoreFinding, CoreFindingDetails, CoreFindingOf, FindingKind, FindingOf, PromiseDetails } from './policies/core-findings.js';

// Policies
export { definePolicy } from './policies/define-policy.js';
export type {
  AnyPolicy,
  AnySchema,
  EventSchemas,
  FindingInput,
  NoOptions,
  Policy,
  PolicyContext,
  PolicyDefinition,
  PolicyEvent,
  RefreshContext,
  SummaryContext,
} from './policies/define-policy.js';
export { builtinPolicies } from './policies/builtin.js';
// Built-in policies: inattention, promises, feedback
export { inattention, inattentionOptions } from './policies/inattention.js';
export type { InattentionOptions, InattentionState } from './policies/inattention.js';
export type { MatterWatch } from './policies/inattention/gap.js';
export type { Silence } from './policies/inattention/silence.js';
export { promises, promisesOptions } from './policies/promises.js';
export type { PromisesOptions, PromisesState } from './policies/promises.js';
export type { PromiseEntry, PromiseStatus } from './policies/promises/ledger.js';
export type { PartyRecord } from './policies/promises/by-party.js';
export { feedback, feedbackOptions } from './policies/feedback.js';
export type { FeedbackItem, FeedbackOptions, FeedbackState } from './policies/feedback.js';
// Built-in policies: burden, survey
export { burden } from './policies/burden.js';
export { burdenOptions } from './policies/burden/options.js';
export type { BurdenOptions } from './policies/burden/options.js';
export type { BurdenState } from './policies/burden/state.js';
export { defaultWeights } from './policies/burden/weights.js';
export type { BurdenWeights } from './policies/burden/weights.js';
export type { DriverTotal } from './policies/burden/score.js';
export { assessNextStep } from './policies/burden/assess-next-step.js';
export type { NextStepAssessment, NextStepProposal } from './policies/burden/assess-next-step.js';
export { survey } from './policies/survey.js';
export { surveyOptions } from './policies/survey/options.js';
export type { SurveyOptions } from './policies/survey/options.js';
export type { SurveyState } from './policies/survey/state.js';
export { mistimedReasons } from './policies/survey/state.js';
export type { MistimedReason } from './policies/survey/state.js';

// Events
export { coreEventSchemas, coreEventTypes, isCoreEventType } from './events/core-types.js';
export type { CoreEventData, CoreEventDataInput, CoreEventType } from './events/core-types.js';
export {
  channels,
  dateTime,
  directions,
  entityId,
  importances,
  matterStatuses,
  outcomes,
  purposes,
  severities,
} from './events/fields.js';
export type { Channel, Direction, Importance, MatterStatus, Outcome, Purpose, Severity } from './events/fields.js';
export { compareEvents } from './events/event.js';
export type {
  CoreEvent,
  CoreEventOf,
  CustomEventTypes,
  EventDataInput,
  EventInput,
  EventInputFor,
  EventInputOf,
  EventInputsFor,
  EventMeta,
  EventSource,
  EventTypeName,
  HeedEvent,
  NonArrayIterable,
  ValidEvent,
} from './events/event.js';
export { EventRegistry, envelopeSchema } from './events/registry.js';
export type { EventTypeDefinition, ValidationResult } from './events/registry.js';
export { parseJsonl, parseLine, readLines } from './events/jsonl.js';
export type { LineResult, ReadOptions } from './events/jsonl.js';
export { lifecycleErrors } from './events/check-lifecycle.js';
export { eventJsonSchema } from './events/json-schema.js';
export { VALIDATION_RULES } from './events/rules.js';
export type { ValidationRule } from './events/rules.js';

// Store
export { InMemoryEventStore } from './store/in-memory-store.js';
export type { InMemoryEventStoreOptions } from './store/in-memory-store.js';
export { iterateAll } from './store/event-store.js';
export type {
  AppendOptions,
  AppendResult,
  EventSchemaLookup,
  EventStore,
  ExpectedVersion,
  NewEvent,
  NewEventData,
  NewEventOf,
  NewEventsFor,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from './store/event-store.js';

// Time
export { Calendar } from './time/calendar.js';
export type { BusinessHours, CalendarConfig, CalendarConfigInput, Weekday } from './time/calendar-config.js';
export { describeDuration, durationOption, durationSchema, parseDuration } from './time/duration.js';
export type { Clock, Duration } from './time/duration.js';
export { parseDateTime, toIso } from './time/instant.js';

// Configuration
export { resolveConfig } from './config/config.js';
export type { HeedConfig, LineLocator, ResolvedConfig, SourcePosition } from './config/config.js';
export { loadConfigFile, loadConfigFileWithPlugins, parseConfigText } from './config/load-config.js';
export type { LoadedConfig, PluginLoadOptions } from './config/load-config.js';
export type { LoadedPlugin } from './config/load-plugins.js';

// Report
export { renderReport } from './report/render-report.js';
export type { ReportInput } from './report/render-report.js';
export type { ReportEvent } from './report/journey.js';

// Errors
export {
  ConfigError,
  EventIdConflictError,
  HeedError,
  InvalidInputError,
  PolicyError,
  UsageError,
  ValidationError,
  VersionConflictError,
} from './errors.js';
export type { ProblemLocation, UsageDetails, ValidationProblem } from './errors.js';
