/** The subset of JSON Schema Rung reads itself (ajv validates the whole thing). */
export interface JSONSchemaType {
  type?: string | string[];
  properties?: Record<string, JSONSchemaType>;
  required?: string[];
  additionalProperties?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
  title?: string;
  [keyword: string]: unknown;
}
