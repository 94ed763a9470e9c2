// Validates an OpenAPI document against the OpenAPI 3.x schema and the spec's rules (used by OpenApiDocumentTest):
//   node validate.mjs <file>
import SwaggerParser from '@apidevtools/swagger-parser';

const api = await SwaggerParser.validate(process.argv[2]);
console.log(JSON.stringify({ openapi: api.openapi, paths: Object.keys(api.paths).length }));
