/** Countries, as in the REST tutorials: name, capital, area in km². */
import { defineResource } from '../index.js';

export const country = defineResource({
  name: 'Country',
  segment: 'countries',
  title: 'Countries',
  description: 'A country with its capital and its area in square kilometres.',
  context: 'country.jsonld',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Common name of the country' },
      capital: { type: 'string', minLength: 1, maxLength: 200, description: 'Capital city' },
      area: { type: 'number', minimum: 0, description: 'Area in square kilometres' },
    },
    required: ['name'],
  },
  filters: ['name', 'capital', 'area'],
  search: ['name', 'capital'],
  sort: ['name', 'capital', 'area'],
  defaultSort: 'name',
});
