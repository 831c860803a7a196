export * from './barrier/sql-executor';
export * from './barrier/tcc-barrier';
export * from './clock/clock';
export * from './typeorm/tcc-barrier.migration';
export * from './coordinator';
export * from './participant';
