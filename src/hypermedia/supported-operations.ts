/**
 * The Hydra operations the API documentation lists for a resource: on an
 * item (GET, PATCH, PUT, DELETE) and on its collection (GET, POST), each
 * typed with its schema.org action and listing its possible statuses.
 */
import type { Resource } from '../resources/resource.js';
import { vocabularyIri } from '../resources/vocabulary.js';
import type { ClassIris } from './class-iris.js';
import { deletePossibleStatus, status } from './possible-statuses.js';

const OWL_NOTHING = 'http://www.w3.org/2002/07/owl#Nothing';
export const ACTIONS: Record<string, string> = {
  GET: 'schema:FindAction',
  POST: 'schema:CreateAction',
  PUT: 'schema:ReplaceAction',
  PATCH: 'schema:UpdateAction',
  DELETE: 'schema:DeleteAction',
};

function operation(base: string, resource: Resource, method: string, extra: Record<string, unknown>) {
  return {
    '@id': `${vocabularyIri(base)}${resource.name}/${method}`,
    '@type': ['Operation', ACTIONS[method]],
    method,
    ...extra,
  };
}

/**
 * Operations on one item of `resource`. DELETE is left to the item when it
 * depends on state. A caller who may not write (`mayWrite` false) is shown GET only.
 */
export function itemOperations(iris: ClassIris, base: string, resource: Resource, mayWrite = true) {
  const cls = iris.classIri(base, resource);
  const writeStatuses = [
    status(400, 'The body is not well-formed JSON'),
    status(404, `No such ${resource.name}`),
    status(412, 'If-Match does not match the current ETag'),
    status(413, 'The body is too large'),
    status(415, 'The body is not JSON, JSON-LD (or merge-patch+json for PATCH)'),
    status(422, 'The body breaks the schema; every violation is listed with a JSON Pointer'),
    status(428, 'If-Match is required by this server'),
  ];
  const ops = [
    operation(base, resource, 'GET', {
      title: `Retrieve ${resource.withArticle}`,
      returns: cls,
      possibleStatus: [status(200, `The ${resource.name}`), status(304, 'Not modified since the given ETag'), status(404, `No such ${resource.name}`)],
    }),
  ];
  if (resource.definition.readOnly || !mayWrite) return ops;
  // PATCH first: a client that edits with the first write operation it finds
  // (API Platform Admin does) sends only what changed, as a merge patch.
  ops.push(
    operation(base, resource, 'PATCH', {
      title: `Update ${resource.withArticle}`,
      description: 'JSON Merge Patch (RFC 7396): fields sent replace the stored ones, null removes an optional field.',
      expects: cls,
      returns: cls,
      possibleStatus: [status(200, `The updated ${resource.name}`), ...writeStatuses],
    }),
    operation(base, resource, 'PUT', {
      title: `Replace ${resource.withArticle}`,
      description: 'Full replacement: fields not sent are removed. Creates the item when the id is free.',
      expects: cls,
      returns: cls,
      possibleStatus: [status(200, `The replaced ${resource.name}`), status(201, `Created at this id`), status(409, `The id cannot be chosen: taken under another parent, or above 2147483647`), ...writeStatuses],
    }),
  );
  if (!resource.deleteIsConditional) ops.push(deleteOperation(base, resource));
  return ops;
}

export function deleteOperation(base: string, resource: Resource) {
  const cascades = resource.children.map((c) => c.segment);
  return operation(base, resource, 'DELETE', {
    title: `Delete ${resource.withArticle}`,
    description: cascades.length ? `Also deletes its ${cascades.join(', ')}.` : undefined,
    returns: OWL_NOTHING,
    possibleStatus: deletePossibleStatus(resource),
  });
}

export function collectionOperations(iris: ClassIris, base: string, resource: Resource, mayWrite = true) {
  const cls = iris.classIri(base, resource);
  const ops = [
    operation(base, resource, 'GET', {
      '@id': `${iris.collectionClassIri(base, resource)}/GET`,
      title: `List ${resource.segment}`,
      returns: iris.collectionClassIri(base, resource),
      possibleStatus: [status(200, 'A page of the collection'), status(400, 'Unknown or malformed query parameter')],
    }),
  ];
  if (!resource.definition.readOnly && mayWrite) {
    ops.push(
      operation(base, resource, 'POST', {
        '@id': `${iris.collectionClassIri(base, resource)}/POST`,
        title: `Create ${resource.withArticle}`,
        expects: cls,
        returns: cls,
        possibleStatus: [
          status(201, `Created; Location names the new ${resource.name}`),
          status(400, 'The body is not well-formed JSON'),
          status(413, 'The body is too large'),
          status(415, 'The body is not JSON or JSON-LD'),
          status(422, 'The body breaks the schema; every violation is listed with a JSON Pointer'),
        ],
      }),
    );
  }
  return ops;
}
