export * from './melding.types';
export * from './melding.events';
export * from './melding.rules';
export * from './melding.machine';
export * from './melding.workflow';
export { initialContext, applyEvent } from './melding.context';
export * from './melding.graph';
export * from './case-history-events';
export * from './onderzoek-outcomes';
