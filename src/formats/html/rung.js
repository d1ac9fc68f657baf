// Rung's HTML pages: send the operation forms as JSON with fetch, show the
// outcome, and fill link inputs with choices. Plain ES2020, no build step;
// every string from the server is inserted with textContent (never as HTML).
'use strict';

(() => {
  const FLASH_KEY = 'rung.flash';
  const JSONLD = 'application/ld+json';
  const body = document.body;
  const etag = body.dataset.etag;

  /** @param {string} tag @param {Record<string,string>} [attrs] @param {(Node|string)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  }

  // A message carried over a navigation (after create / delete / save).
  function showFlash() {
    const message = sessionStorage.getItem(FLASH_KEY);
    const box = document.getElementById('flash');
    if (!message || !box) return;
    sessionStorage.removeItem(FLASH_KEY);
    box.textContent = message;
    box.hidden = false;
  }

  function go(url, message) {
    if (message) sessionStorage.setItem(FLASH_KEY, message);
    if (url === location.href) location.reload();
    else location.assign(url);
  }

  /** Value of one input as JSON, or undefined when left empty. */
  function valueOf(input) {
    const kind = input.dataset.kind;
    if (kind === 'boolean') return input.checked;
    const text = input.value.trim();
    if (text === '') return undefined;
    if (kind === 'number') {
      const n = Number(text);
      return Number.isFinite(n) ? n : text; // let the server say what is wrong
    }
    return text;
  }

  /**
   * The JSON body of a form. POST and PUT send every filled field (PUT is a
   * full replacement: an emptied field is removed). PATCH is a JSON Merge
   * Patch (RFC 7396): only changed fields, and null for an emptied one.
   */
  function bodyOf(form, method) {
    const out = {};
    for (const input of form.querySelectorAll('[name][data-kind]')) {
      const value = valueOf(input);
      if (method === 'PATCH') {
        const initial = input.dataset.initial ?? '';
        const now = input.dataset.kind === 'boolean' ? String(input.checked) : input.value.trim();
        if (now === initial) continue;
        out[input.name] = value === undefined ? null : value;
      } else if (value !== undefined) {
        out[input.name] = value;
      }
    }
    return out;
  }

  function clearErrors(form) {
    form.querySelector('.result').replaceChildren();
    for (const p of form.querySelectorAll('.field-error')) {
      p.hidden = true;
      p.textContent = '';
    }
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  /** Show a problem document (RFC 9457) readably: title, status, detail, each violation at its field. */
  function showProblem(form, status, problem) {
    const box = el('div', { class: 'problem', role: 'alert' });
    box.append(el('p', { class: 'problem-title' }, [`${problem.title || 'Request failed'} (${problem.status || status})`]));
    const violations = Array.isArray(problem.violations) ? problem.violations : [];
    // With violations, the detail only repeats them.
    if (problem.detail && !violations.length) box.append(el('p', {}, [String(problem.detail)]));
    if (violations.length) {
      const list = el('ul');
      for (const v of violations) {
        const pointer = String(v.pointer ?? '');
        list.append(el('li', {}, [el('code', {}, [pointer || '/']), ` ${v.message ?? ''}`]));
        const name = pointer.split('/')[1];
        const slot = name && form.querySelector(`.field-error[data-for="${CSS.escape(name)}"]`);
        if (slot) {
          slot.textContent = String(v.message ?? '');
          slot.hidden = false;
          form.querySelector(`[name="${CSS.escape(name)}"]`)?.setAttribute('aria-invalid', 'true');
        }
      }
      box.append(list);
    }
    const links = Array.isArray(problem.links) ? problem.links : [];
    for (const link of links) {
      if (typeof link.href !== 'string' || !/^https?:/i.test(link.href)) continue;
      const text = link.rel === 'current' ? 'Reload the current version' : link.rel === 'related' ? 'See what refers to it' : link.rel;
      box.append(el('p', {}, [el('a', { href: link.href }, [text])]));
    }
    form.querySelector('.result').append(box);
  }

  async function submit(form) {
    const method = form.dataset.method;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const headers = { Accept: JSONLD };
    if (form.dataset.ifMatch !== undefined && etag) headers['If-Match'] = etag;
    let payload;
    if (method !== 'DELETE') {
      headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      payload = JSON.stringify(bodyOf(form, method));
    }
    const button = form.querySelector('button[type=submit]');
    clearErrors(form);
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(form.action, { method, headers, body: payload });
      if (res.ok) {
        const created = res.headers.get('Location');
        if (res.status === 201 && created) return go(new URL(created, form.action).href, 'Created.');
        if (method === 'DELETE') return go(form.dataset.after || new URL('.', window.location.href).href, 'Deleted.');
        return go(window.location.href, 'Saved.');
      }
      let problem = {};
      try {
        problem = await res.json();
      } catch {
        problem = { title: res.statusText };
      }
      showProblem(form, res.status, problem);
    } catch (err) {
      showProblem(form, 0, { title: 'Network error', detail: String(err) });
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  /** A search form: leave empty inputs out of the query. */
  function search(form) {
    const url = new URL(form.action);
    for (const input of form.elements) {
      if (input.name && input.value.trim() !== '') url.searchParams.set(input.name, input.value.trim());
    }
    location.assign(url.href);
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.method) {
      event.preventDefault();
      submit(form);
    } else if (form.hasAttribute('data-search')) {
      event.preventDefault();
      search(form);
    }
  });

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: JSONLD } });
    if (!res.ok) throw new Error(`${res.status} ${url}`);
    return res.json();
  }

  // Link inputs: offer the members of the collection the entry point names
  // for the link's range (following `next` pages), as a select.
  const MAX_PAGES = 10;
  const choices = new Map();
  function choicesFor(term) {
    if (!choices.has(term)) {
      choices.set(term, (async () => {
        const entry = await getJson(body.dataset.entrypoint);
        let next = entry[term];
        if (typeof next !== 'string') return undefined;
        const url = new URL(next);
        url.searchParams.set('pageSize', '100');
        next = url.href;
        const members = [];
        for (let i = 0; next && i < MAX_PAGES; i++) {
          const page = await getJson(next);
          for (const m of page.member ?? []) members.push({ id: m['@id'], label: m.name ?? m.title ?? m['@id'] });
          next = page.view?.next;
        }
        return next ? undefined : members; // too many to list: keep the text input
      })().catch(() => undefined));
    }
    return choices.get(term);
  }

  async function enhanceLinkInput(input) {
    const members = await choicesFor(input.dataset.optionsFrom);
    if (!members) return;
    const select = el('select', { id: input.id, name: input.name, 'data-kind': 'iri' });
    if (input.dataset.initial !== undefined) select.dataset.initial = input.dataset.initial;
    if (input.required) select.required = true;
    select.append(el('option', { value: '' }, ['— choose —']));
    const current = input.value;
    if (current && !members.some((m) => m.id === current)) members.unshift({ id: current, label: current });
    for (const m of members) {
      const option = el('option', { value: m.id }, [String(m.label)]);
      if (m.id === current) option.selected = true;
      select.append(option);
    }
    input.replaceWith(select);
  }

  // "Show JSON-LD": the same URL, asked for application/ld+json.
  function wireSource(details) {
    details.addEventListener('toggle', async () => {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = 'true';
      const code = details.querySelector('code');
      try {
        const res = await fetch(details.dataset.source, { headers: { Accept: JSONLD } });
        code.textContent = JSON.stringify(await res.json(), null, 2);
      } catch (err) {
        code.textContent = String(err);
      }
    });
  }

  showFlash();
  for (const input of document.querySelectorAll('input[data-options-from]')) enhanceLinkInput(input);
  for (const details of document.querySelectorAll('details[data-source]')) wireSource(details);
  body.classList.add('js');
})();
