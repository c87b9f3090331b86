// The parts of an OpenAPI 3.0 document this project reads or writes. Loose on purpose: every
// object keeps an index signature so keys we do not model survive a round trip untouched.

export const HTTP_METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OasSchema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  title?: string;
  description?: string;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  readOnly?: boolean;
  required?: string[];
  properties?: Record<string, OasSchema>;
  items?: OasSchema;
  allOf?: OasSchema[];
  oneOf?: OasSchema[];
  anyOf?: OasSchema[];
  not?: OasSchema;
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [key: string]: unknown;
}

export interface OasParameter {
  $ref?: string;
  name?: string;
  in?: 'query' | 'header' | 'path' | 'cookie';
  description?: string;
  required?: boolean;
  schema?: OasSchema;
  [key: string]: unknown;
}

export interface OasHeader {
  $ref?: string;
  description?: string;
  required?: boolean;
  schema?: OasSchema;
  [key: string]: unknown;
}

export interface OasMediaType {
  schema?: OasSchema;
  [key: string]: unknown;
}

export interface OasResponse {
  $ref?: string;
  description?: string;
  headers?: Record<string, OasHeader>;
  content?: Record<string, OasMediaType>;
  [key: string]: unknown;
}

export interface OasRequestBody {
  $ref?: string;
  description?: string;
  required?: boolean;
  content?: Record<string, OasMediaType>;
  [key: string]: unknown;
}

export interface OasOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: OasParameter[];
  requestBody?: OasRequestBody;
  responses: Record<string, OasResponse>;
  tags?: string[];
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}

export interface OasPathItem {
  parameters?: OasParameter[];
  get?: OasOperation;
  head?: OasOperation;
  post?: OasOperation;
  put?: OasOperation;
  patch?: OasOperation;
  delete?: OasOperation;
  options?: OasOperation;
  trace?: OasOperation;
  [key: string]: unknown;
}

export interface OasComponents {
  schemas?: Record<string, OasSchema>;
  responses?: Record<string, OasResponse>;
  parameters?: Record<string, OasParameter>;
  headers?: Record<string, OasHeader>;
  requestBodies?: Record<string, OasRequestBody>;
  securitySchemes?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: {
    title: string;
    version: string;
    description?: string;
    contact?: { name?: string; url?: string; email?: string };
    [key: string]: unknown;
  };
  servers?: { url: string; description?: string }[];
  paths: Record<string, OasPathItem>;
  components: OasComponents;
  tags?: { name: string; description?: string }[];
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}
