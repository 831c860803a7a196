/** A versioned definition (price rule or coupon template) as the API returns it. */
export interface DefinitionView<T> {
  id: string;
  kind: string;
  /** The version in force (the latest). */
  version: number;
  enabled: boolean;
  /** The latest definition, with its id and version. */
  definition: T;
  updatedAt: string;
}

/** One stored version of a definition. */
export interface DefinitionVersionView<T> {
  version: number;
  definition: T;
  createdAt: string;
}
