/** Namespaces Rung's representations use. */
export const HYDRA = 'http://www.w3.org/ns/hydra/core#';
export const SCHEMA = 'https://schema.org/';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const IANA = 'http://www.iana.org/assignments/relation/';
export const JSONLD_CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';
export const API_DOCUMENTATION_REL = `${HYDRA}apiDocumentation`;

/** Paths of Rung's own documents. */
export const DOCS_PATH = '/docs';
export const CONTEXTS_PATH = '/contexts';
/** The OpenAPI 3.1 description of the API (src/openapi/), linked with rel="service-desc" (RFC 8631). */
export const OPENAPI_PATH = '/openapi.json';

/** The API's own vocabulary: terms no public vocabulary has live in the API documentation. */
export const vocabularyIri = (base: string) => `${base}${DOCS_PATH}#`;
