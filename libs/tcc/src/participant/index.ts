// The participant's side of the saga: resolving branches held past their deadline by asking the coordinator.
export * from './held-branch.decision';
export * from './held-branch.resolver';
export * from './coordinator-status.client';
export * from './held-branch.table';
export * from './held-branch.settings';
export * from './nest/held-branch.observer';
