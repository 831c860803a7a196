/** Minor units one point is worth when an order spends it (100 points = 1.00): the one rate order charges by and frontends show. */
export const POINT_VALUE_MINOR = 1;

/** What `points` are worth on an order, in minor units. */
export function pointsValue(points: number): number {
  return points * POINT_VALUE_MINOR;
}
