/** Guests (schema.org Person), nested under an event: /events/{id}/guests/{guestId}. */
import { defineResource } from '../index.js';

export const guest = defineResource({
  name: 'Guest',
  segment: 'guests',
  title: 'Guests',
  description: 'A person invited to an event.',
  context: 'guest.jsonld',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Full name' },
      email: { type: 'string', format: 'email', maxLength: 320, description: 'E-mail address' },
    },
    required: ['name', 'email'],
  },
  parent: {
    resource: 'Event',
    term: 'event',
    inverse: 'guests',
    description: 'The event this guest is invited to',
    inverseDescription: 'The guests of this event',
  },
  filters: ['name', 'email'],
  search: ['name', 'email'],
  sort: ['name', 'email'],
  defaultSort: 'name',
});
