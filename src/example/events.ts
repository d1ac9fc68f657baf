/** Events (schema.org Event), each located in a country. */
import { defineResource } from '../index.js';

export const event = defineResource({
  name: 'Event',
  segment: 'events',
  title: 'Events',
  description: 'An event held in a country. Deleting an event deletes its guests.',
  context: 'event.jsonld',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Name of the event' },
      startDate: { type: 'string', format: 'date-time', description: 'Start, as an RFC 3339 date-time' },
      location: { type: 'string', format: 'uri-reference', description: 'IRI of the country the event is held in' },
    },
    required: ['name', 'startDate', 'location'],
  },
  relations: {
    location: {
      resource: 'Country',
      onDelete: 'restrict',
      inverse: 'events',
      inverseDescription: 'The events held in this country',
    },
  },
  filters: ['name', 'location', 'startDate'],
  search: ['name'],
  sort: ['name', 'startDate'],
  defaultSort: 'startDate',
});
