// The TCC coordinator: plain core over SqlExecutor, recovery loop, migration and a thin Nest adapter.
export * from './saga-transitions';
export * from './coordinator.types';
export * from './coordinator.migration';
export * from './coordinator.store';
export * from './participant.registry';
export * from './tcc-coordinator';
export * from './recovery.loop';
export * from './nest/tcc-coordinator.module';
