/** The file `rung init` writes: a small API to edit, with every setting explained. */
export const STARTER_API = `# A Rung API, declared in one file. Serve it with:  npx rung serve api.yaml
# Rung checks this file at start and names the line of anything it cannot use.
# Paths in this file (db, contexts, seed files) are relative to this file.

title: Bookshop
description: Authors and the books they wrote.

# Settings of \`rung serve\`. A flag (--port 8080) or an environment variable
# (PORT=8080) wins over the value here.
db: data/api.db              # SQLite file, created at the first start
# port: 3000
# host: 127.0.0.1
# publicBaseUrl: https://api.example.org   # base of every IRI behind a proxy
# requirePreconditions: true               # 428 for writes without If-Match
# paging: { defaultPageSize: 20, maxPageSize: 100 }

# Who may do what without a token: none, read (the default: writes then need a
# token, made with  npx rung token create api.yaml --scopes read,write  and sent
# as  Authorization: Bearer <token>), or write (anyone: a playground, as here
# while you try things out). rateLimit and cors: see the README.
auth:
  anonymous: write
# rateLimit: { requests: 1000, window: 60 }   # per client; false turns it off
# cors: { origin: [https://admin.example.org] }

# Rows put into empty collections at the first start (a list, or a JSON/YAML file).
seed:
  Author:
    - { name: Ursula K. Le Guin, born: 1929-10-21 }

# Each resource: a class name, its collection's path segment, its fields
# (a JSON Schema each, or a type: string, integer, number, boolean, date,
# date-time, email, uri), and what clients may search and sort by.
resources:
  Author:
    segment: authors                 # /authors and /authors/{id}
    description: A person who writes books.
    fields:
      name: { type: string, minLength: 1, maxLength: 200, description: Full name }
      born: date                     # RFC 3339 date: 1929-10-21
    required: [name]
    filters: [name, born]            # ?name=…, ?born_gte=…, ?born_lte=…
    sort: [name, born]               # ?sort=-born
    defaultSort: name

  Book:
    segment: books
    description: A book and its author.
    fields:
      title: { type: string, minLength: 1, maxLength: 300 }
      published: date
      pages: { type: integer, minimum: 1 }
    relations:
      # A link: clients send the author's IRI, its path (/authors/1) or its id (1).
      # onDelete: restrict refuses to delete an author who still has books (409);
      # cascade would delete the books too. Authors link back to /books?author=….
      author: { resource: Author, onDelete: restrict, inverse: books }
    required: [title, author]
    filters: [title, author, published]
    sort: [title, published]
    defaultSort: title
    # readOnly: true                 # only GET: items come from seed
    # paging: { defaultPageSize: 50 }
    # iris: { Book: 'schema:Book', title: 'schema:name' }   # map terms to schema.org
`;
