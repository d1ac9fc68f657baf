/**
 * The `hydra:possibleStatus` of an operation: a status code and what it
 * means here; and the outcomes of DELETE on an item, which the item's own
 * operation repeats when DELETE depends on state.
 */
import type { Resource } from '../resources/resource.js';

export const status = (statusCode: number, description: string) => ({ '@type': 'Status', statusCode, description });

/** Outcomes of DELETE on an item: documented on the class, or on the item's own operation when DELETE depends on state. */
export function deletePossibleStatus(resource: Resource) {
  return [
    status(204, 'Deleted'),
    status(404, `No such ${resource.name}`),
    ...(resource.deleteIsConditional ? [status(409, `Other resources still refer to this ${resource.name}`)] : []),
    status(412, 'If-Match does not match the current ETag'),
    status(428, 'If-Match is required by this server'),
  ];
}
