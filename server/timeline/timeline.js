/*
 * The event timeline page: plain browser JavaScript, no build step, no CDN.
 *
 * Drawn with vis-timeline (its standalone UMD build, which bundles vis-data's DataSet as `vis.DataSet`),
 * served by the gateway from node_modules: see server/staticRoutes.ts for why that library.
 *
 * Data comes only from the public GraphQL API:
 *  - `events(last, before)`: the newest few hundred events, then older pages on demand;
 *  - `subscription events(after)` over Server-Sent Events (POST /graphql, read with fetch so it can
 *    carry the bearer token): every event after the last position received, replayed then live;
 *    on a drop it resumes from there;
 *  - `inventoryItemAt` / `orderAt`: the aggregate as it was at the selected event.
 *
 * Event data and metadata are user input: they reach the page only as text (textContent, or
 * escaped before vis-timeline puts a tooltip into innerHTML), never as markup.
 */
(function () {
  'use strict';

  const GRAPHQL_URL = '/graphql';
  /** The API's largest page. */
  const PAGE_SIZE = 100;
  /** Pages loaded at start: the newest 300 events. */
  const INITIAL_PAGES = 3;
  const MAX_RETRY_MS = 15000;

  const EVENT_FIELDS = 'id type streamName category revision position recordedAt occurredAt actor correlationId data metadata';
  const EVENTS_QUERY = `query TimelineEvents($last: Int!, $before: String) {
  events(last: $last, before: $before) { nodes { ${EVENT_FIELDS} } pageInfo { hasPreviousPage startCursor } }
}`;
  const LIVE_SUBSCRIPTION = `subscription TimelineLive($after: String) { events(after: $after) { ${EVENT_FIELDS} } }`;
  const ITEM_FIELDS =
    'id sku name unitPriceCents quantityOnHand quantityReserved quantityAvailable active deactivationReason version createdAt updatedAt';
  const ORDER_FIELDS = `id customerId status totalCents version placedAt updatedAt rejectionReason cancellationReason cancelledBy
  lines { itemId sku name quantity unitPriceCents lineTotalCents }
  payment { status providerReference declineReason refundReason }`;

  /**
   * How to show an aggregate's state at an event, per stream category. Payments have no state of
   * their own in the API: their order (same id) is shown as it was at the event's time.
   */
  const STATE_LOOKUPS = {
    inventoryItem: (event, id) => ({
      query: `query ItemAt($id: ID!, $revision: Int) { state: inventoryItemAt(id: $id, revision: $revision) { ${ITEM_FIELDS} } }`,
      variables: { id, revision: event.revision },
      caption: `Inventory item ${id} after stream revision ${event.revision} (inventoryItemAt).`,
    }),
    order: (event, id) => ({
      query: `query OrderAt($id: ID!, $revision: Int) { state: orderAt(id: $id, revision: $revision) { ${ORDER_FIELDS} } }`,
      variables: { id, revision: event.revision },
      caption: `Order ${id} after order-stream revision ${event.revision} (orderAt).`,
    }),
    payment: (event, id) => ({
      query: `query PaymentOrderAt($id: ID!, $at: DateTime) { state: orderAt(id: $id, at: $at) { ${ORDER_FIELDS} } }`,
      variables: { id, at: event.occurredAt },
      caption: `The order this payment belongs to, as it was at ${event.occurredAt} (orderAt by time).`,
    }),
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    timeline: $('timeline'),
    status: $('status'),
    live: $('live'),
    liveText: $('live-text'),
    follow: $('follow'),
    fit: $('fit'),
    loadOlder: $('load-older'),
    list: $('event-list'),
    count: $('event-count'),
    detailsHeading: $('details-heading'),
    detailsEmpty: $('details-empty'),
    details: $('details'),
    fields: $('details-fields'),
    data: $('details-data'),
    metadata: $('details-metadata'),
    stateCaption: $('state-caption'),
    state: $('details-state'),
    access: $('access'),
    accessForm: $('access-form'),
    accessReason: $('access-reason'),
    tokenInput: $('token'),
    signOut: $('sign-out'),
  };

  const state = {
    /** position → event */
    events: new Map(),
    /** Cursor of the oldest event loaded (for "load older"), and whether there is anything older. */
    oldestCursor: null,
    hasOlder: false,
    /** The newest position received: where the live feed resumes. */
    lastPosition: null,
    historyLoaded: false,
    groupBy: 'category',
    selected: null,
    /** The AbortController of the open live feed. */
    live: null,
    retryMs: 1000,
    retryTimer: null,
    /** stream name → a readable label (an item's SKU, an order's customer) learnt from its events. */
    streamLabels: new Map(),
    /** Each state request gets a number, so a slow answer for an older selection is dropped. */
    stateRequest: 0,
  };

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  /** For the strings vis-timeline puts into innerHTML: tooltips and group labels. */
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  /** A CSS class from a category name: only [A-Za-z0-9_-] survive. */
  function cssToken(value) {
    return String(value)
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .slice(0, 60);
  }

  function comparePositions(a, b) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function streamId(streamName) {
    const dash = streamName.indexOf('-');
    return dash === -1 ? '' : streamName.slice(dash + 1);
  }

  function shortStream(streamName) {
    const id = streamId(streamName);
    const category = id ? streamName.slice(0, streamName.length - id.length - 1) : streamName;
    return id.length > 8 ? `${category}-${id.slice(0, 8)}…` : streamName;
  }

  /** Local time, to the millisecond: events often come a few milliseconds apart. */
  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const pad = (value, width = 2) => String(value).padStart(width, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
  }

  function setStatus(text, isError) {
    ui.status.textContent = text;
    ui.status.classList.toggle('error', Boolean(isError));
  }

  function setLive(kind, text) {
    ui.live.dataset.state = kind;
    ui.liveText.textContent = text;
  }

  /** A GraphQL error the user can fix by signing in (or with a token of an admin). */
  class AccessError extends Error {}

  function graphqlError(body, status) {
    const first = body && Array.isArray(body.errors) ? body.errors[0] : null;
    const code = first && first.extensions ? first.extensions.code : null;
    const message = first ? `${first.message}${code ? ` (${code})` : ''}` : `HTTP ${status}`;
    return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || status === 401 ? new AccessError(message) : new Error(message);
  }

  async function graphql(query, variables) {
    const response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json().catch(() => null);
    if (!body || (body.errors && body.errors.length > 0) || !body.data) throw graphqlError(body, response.status);
    return body.data;
  }

  // ---------------------------------------------------------------------------------------------
  // Access: the history is for admins. The page sends a bearer token when it has one: from the
  // form below, or from the address's fragment (`/timeline#token=…`, never sent to the server,
  // removed from the address at once), kept for this tab only (sessionStorage); else the
  // development token the gateway may have put into the page.

  const TOKEN_KEY = 'eventshop.timeline.token';

  function readToken() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const fromFragment = fragment.get('token');
    if (fromFragment) {
      sessionStorage.setItem(TOKEN_KEY, fromFragment.trim());
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** In development the gateway may put an admin token into the page (as GraphiQL gets one). */
  function devToken() {
    const meta = document.querySelector('meta[name="eventshop-dev-token"]');
    return meta ? meta.getAttribute('content') : null;
  }

  const token = readToken() || devToken();

  function authHeaders() {
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  function askForToken(reason) {
    ui.access.open = true;
    ui.accessReason.textContent = token
      ? `This token was not accepted: ${reason}. Paste an admin token.`
      : `Viewing the event history needs an admin token: ${reason}.`;
    ui.tokenInput.focus();
  }

  ui.accessForm.addEventListener('submit', (domEvent) => {
    domEvent.preventDefault();
    const value = ui.tokenInput.value.trim().replace(/^Bearer\s+/i, '');
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  ui.signOut.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  ui.signOut.hidden = !sessionStorage.getItem(TOKEN_KEY);
  // A token put into the address of the open page (`#token=…`) takes effect at once.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('token')) {
      readToken();
      location.reload();
    }
  });

  // ---------------------------------------------------------------------------------------------
  // The timeline

  const items = new vis.DataSet();
  const groups = new vis.DataSet();

  const timeline = new vis.Timeline(ui.timeline, items, groups, {
    stack: true,
    // Items at the same instant stack newest first (on top).
    order: (a, b) => comparePositions(b.id, a.id),
    groupOrder: 'order',
    zoomMin: 5,
    zoomMax: 1000 * 60 * 60 * 24 * 365 * 5,
    minHeight: 260,
    maxHeight: 600,
    verticalScroll: true,
    zoomKey: '',
    selectable: true,
    multiselect: false,
    showCurrentTime: true,
    tooltip: { followMouse: false, overflowMethod: 'cap', delay: 300 },
    margin: { item: { horizontal: 4, vertical: 3 } },
    orientation: 'top',
  });

  function groupKey(event) {
    return state.groupBy === 'stream' ? event.streamName : event.category;
  }

  function groupContent(key) {
    if (state.groupBy !== 'stream') return escapeHtml(key);
    const label = state.streamLabels.get(key);
    return `${escapeHtml(shortStream(key))}${label ? `<br><small>${escapeHtml(label)}</small>` : ''}`;
  }

  function ensureGroup(key) {
    const existing = groups.get(key);
    const content = groupContent(key);
    if (!existing) {
      groups.add({ id: key, content, order: key, className: `group-${cssToken(state.groupBy === 'stream' ? key.split('-')[0] : key)}` });
    } else if (existing.content !== content) {
      groups.update({ id: key, content });
    }
  }

  /** The item's label: a DOM node (vis-timeline appends it as is), so event data is only ever text. */
  function itemContent(event) {
    const box = document.createElement('span');
    box.className = 'event-label';
    box.dataset.position = event.position;
    const type = document.createElement('strong');
    type.textContent = event.type;
    const sub = document.createElement('small');
    sub.textContent = state.streamLabels.get(event.streamName) || shortStream(event.streamName);
    box.append(type, sub);
    return box;
  }

  function itemTitle(event) {
    return [
      `<strong>${escapeHtml(event.type)}</strong>`,
      escapeHtml(`${event.streamName} @ revision ${event.revision}`),
      escapeHtml(`position ${event.position} · ${formatTime(event.occurredAt)}`),
    ].join('<br>');
  }

  function toItem(event) {
    return {
      id: event.position,
      group: groupKey(event),
      start: new Date(event.occurredAt),
      type: 'box',
      content: itemContent(event),
      title: itemTitle(event),
      className: `cat-${cssToken(event.category)}`,
    };
  }

  function learnLabel(event) {
    const data = event.data || {};
    let label = null;
    if (typeof data.sku === 'string') label = data.sku;
    else if (event.category === 'order' && typeof data.customerId === 'string') label = `order of ${data.customerId}`;
    if (label && !state.streamLabels.has(event.streamName)) state.streamLabels.set(event.streamName, label.slice(0, 60));
  }

  /** Adds events (any order, duplicates ignored); returns those that were new. */
  function addEvents(events) {
    const fresh = events.filter((event) => !state.events.has(event.position));
    if (fresh.length === 0) return fresh;
    for (const event of fresh) {
      state.events.set(event.position, event);
      learnLabel(event);
      if (state.lastPosition === null || comparePositions(event.position, state.lastPosition) > 0) state.lastPosition = event.position;
    }
    for (const event of fresh) ensureGroup(groupKey(event));
    items.update(fresh.map(toItem));
    scheduleListRender();
    return fresh;
  }

  function regroup(groupBy) {
    state.groupBy = groupBy;
    // New groups first, then move the items, then drop the old groups: no item is ever without a
    // group (which would lose the selection).
    const all = [...state.events.values()];
    const wanted = new Set(all.map(groupKey));
    const old = groups.getIds().filter((id) => !wanted.has(id));
    for (const key of wanted) ensureGroup(key);
    items.update(all.map((event) => ({ id: event.position, group: groupKey(event) })));
    groups.remove(old);
    if (state.selected) {
      const selected = state.selected;
      timeline.setSelection([selected]);
      // Once the new groups are laid out, scroll the selected event back into view (vis-timeline
      // scrolls vertically only on an animated focus).
      requestAnimationFrame(() => timeline.focus(selected, { zoom: false, animation: { duration: 200, easingFunction: 'easeInOutQuad' } }));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The list: the same events as buttons, for keyboards and screen readers

  let listRenderPending = false;

  /** A burst of live events redraws the list once. */
  function scheduleListRender() {
    if (listRenderPending) return;
    listRenderPending = true;
    requestAnimationFrame(() => {
      listRenderPending = false;
      renderList();
    });
  }

  function renderList() {
    // Redrawing must not take the keyboard focus away from the button the user is on.
    const active = document.activeElement;
    const focused = active && ui.list.contains(active) ? active.dataset.position : null;
    const sorted = [...state.events.values()].sort((a, b) => comparePositions(b.position, a.position));
    const fragment = document.createDocumentFragment();
    for (const event of sorted) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `event-button cat-${cssToken(event.category)}`;
      button.dataset.position = event.position;
      button.tabIndex = -1;
      if (event.position === state.selected) button.setAttribute('aria-current', 'true');
      const type = document.createElement('span');
      type.className = 'type';
      type.textContent = event.type;
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = `${event.streamName} @ ${event.revision}`;
      const when = document.createElement('time');
      when.dateTime = event.occurredAt;
      when.textContent = formatTime(event.occurredAt);
      button.append(type, where, when);
      li.append(button);
      fragment.append(li);
    }
    ui.list.replaceChildren(fragment);
    ui.count.textContent = String(sorted.length);
    // One tab stop for the whole list (the arrow keys move within it): the focused, else the
    // selected, else the newest event.
    const stop = buttonFor(focused) || buttonFor(state.selected) || ui.list.querySelector('button');
    if (stop) stop.tabIndex = 0;
    if (focused && stop) stop.focus({ preventScroll: true });
  }

  function buttonFor(position) {
    return position ? ui.list.querySelector(`button[data-position="${CSS.escape(position)}"]`) : null;
  }

  function moveListFocus(to) {
    if (!to) return;
    for (const button of ui.list.querySelectorAll('button[tabindex="0"]')) button.tabIndex = -1;
    to.tabIndex = 0;
    to.focus();
  }

  ui.list.addEventListener('click', (domEvent) => {
    const button = domEvent.target instanceof Element ? domEvent.target.closest('button[data-position]') : null;
    if (!button) return;
    moveListFocus(button);
    select(button.dataset.position, { focusTimeline: true });
  });

  ui.list.addEventListener('keydown', (domEvent) => {
    const button = domEvent.target instanceof Element ? domEvent.target.closest('button[data-position]') : null;
    if (!button) return;
    const item = button.parentElement;
    const moves = {
      ArrowDown: () => item.nextElementSibling,
      ArrowUp: () => item.previousElementSibling,
      Home: () => ui.list.firstElementChild,
      End: () => ui.list.lastElementChild,
    };
    const move = moves[domEvent.key];
    if (!move) return;
    domEvent.preventDefault();
    const target = move();
    moveListFocus(target ? target.querySelector('button') : null);
  });

  // ---------------------------------------------------------------------------------------------
  // Details of the selected event

  function addField(name, value) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    ui.fields.append(dt, dd);
  }

  /**
   * Brings an event into view, across and down, at the same zoom. vis-timeline scrolls down only to
   * items it has laid out, and lays out only what is in view: a second move once the first has
   * landed reaches an event in a group that was below the fold.
   */
  function focusOn(position) {
    const move = () => timeline.focus(position, { zoom: false, animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
    move();
    setTimeout(() => {
      if (state.selected === position) move();
    }, 400);
  }

  function select(position, { focusTimeline } = {}) {
    const event = state.events.get(position);
    if (!event) return;
    state.selected = position;
    timeline.setSelection([position]);
    // Chosen from the list: bring it into view on the timeline (across and down), at the same zoom.
    if (focusTimeline) focusOn(position);
    for (const button of ui.list.querySelectorAll('button[aria-current]')) button.removeAttribute('aria-current');
    const current = ui.list.querySelector(`button[data-position="${CSS.escape(position)}"]`);
    if (current) current.setAttribute('aria-current', 'true');
    showDetails(event);
  }

  function showDetails(event) {
    ui.detailsEmpty.hidden = true;
    ui.details.hidden = false;
    ui.detailsHeading.textContent = `Event details: ${event.type}`;
    ui.fields.replaceChildren();
    addField('Type', event.type);
    addField('Stream', event.streamName);
    addField('Category', event.category);
    addField('Revision', event.revision);
    addField('Position', event.position);
    addField('Occurred', formatTime(event.occurredAt));
    addField('Recorded', formatTime(event.recordedAt));
    addField('Actor', event.actor);
    addField('Correlation id', event.correlationId);
    addField('Event id', event.id);
    ui.data.textContent = JSON.stringify(event.data, null, 2);
    ui.metadata.textContent = JSON.stringify(event.metadata, null, 2);
    void showState(event);
  }

  async function showState(event) {
    const request = ++state.stateRequest;
    const lookup = STATE_LOOKUPS[event.category];
    const id = streamId(event.streamName);
    if (!lookup || !id) {
      ui.stateCaption.textContent = `No state view for ${event.category} streams.`;
      ui.state.textContent = '';
      ui.state.hidden = true;
      return;
    }
    const { query, variables, caption } = lookup(event, id);
    ui.stateCaption.textContent = caption;
    ui.state.hidden = false;
    ui.state.textContent = 'Loading…';
    ui.state.setAttribute('aria-busy', 'true');
    try {
      const data = await graphql(query, variables);
      if (request !== state.stateRequest) return;
      ui.state.textContent = data.state === null ? 'Not found (no events up to this point).' : JSON.stringify(data.state, null, 2);
    } catch (error) {
      if (request !== state.stateRequest) return;
      ui.state.textContent = `Could not load the state: ${error.message}`;
      if (error instanceof AccessError) askForToken(error.message);
    } finally {
      if (request === state.stateRequest) ui.state.setAttribute('aria-busy', 'false');
    }
  }

  timeline.on('select', ({ items: selected }) => {
    if (selected.length > 0) select(String(selected[0]));
  });

  // ---------------------------------------------------------------------------------------------
  // Loading history

  async function loadPage(before) {
    const data = await graphql(EVENTS_QUERY, { last: PAGE_SIZE, before });
    const { nodes, pageInfo } = data.events;
    if (nodes.length > 0) state.oldestCursor = pageInfo.startCursor || nodes[0].position;
    state.hasOlder = Boolean(pageInfo.hasPreviousPage);
    return nodes;
  }

  async function loadInitial() {
    const loaded = [];
    let before = null;
    for (let page = 0; page < INITIAL_PAGES; page += 1) {
      const nodes = await loadPage(before);
      loaded.push(...nodes);
      if (!state.hasOlder || nodes.length === 0) break;
      before = state.oldestCursor;
    }
    addEvents(loaded);
    state.historyLoaded = true;
    ui.loadOlder.disabled = !state.hasOlder;
    fitAll();
    setStatus(loaded.length === 0 ? 'No events yet: make a change and it appears here.' : `Loaded the newest ${loaded.length} events.`);
  }

  async function loadOlder() {
    if (!state.hasOlder || !state.oldestCursor) return;
    ui.loadOlder.disabled = true;
    setStatus('Loading older events…');
    try {
      const nodes = await loadPage(state.oldestCursor);
      const fresh = addEvents(nodes);
      setStatus(`Loaded ${fresh.length} older events (${state.events.size} in all).`);
      if (fresh.length > 0) {
        const view = timeline.getWindow();
        const oldest = Math.min(...fresh.map((event) => Date.parse(event.occurredAt)));
        if (oldest < view.start.getTime()) timeline.setWindow(oldest - (view.end - view.start) * 0.05, view.end);
      }
    } catch (error) {
      setStatus(`Could not load older events: ${error.message}`, true);
    } finally {
      ui.loadOlder.disabled = !state.hasOlder;
    }
  }

  /** From the oldest loaded event to now (the present is always in view). */
  function fitAll(remeasured = false) {
    const now = Date.now();
    if (state.events.size === 0) {
      timeline.setWindow(now - 5 * 60 * 1000, now + 60 * 1000, { animation: false });
      return;
    }
    let min = Infinity;
    for (const event of state.events.values()) min = Math.min(min, Date.parse(event.occurredAt));
    const max = Math.max(now, min + 1000);
    // Items are boxes centred on their time: the window leaves half the widest box, in pixels, on
    // either side, so the oldest and the newest labels show whole whatever the span.
    const panelWidth = centrePanelWidth();
    const widest = widestItemWidth();
    const margin = Math.min(widest / 2 + 8, panelWidth / 3);
    const msPerPixel = (max - min) / Math.max(1, panelWidth - 2 * margin);
    timeline.setWindow(min - margin * msPerPixel, max + margin * msPerPixel, { animation: false });
    if (!remeasured) state.refitsLeft = 5;
    state.lastFit = { widest, panelWidth };
  }

  // Boxes not drawn yet were guessed at, and the group labels (whose column narrows the panel) are
  // learnt as events come: for the next few redraws after a fit, fit again if either has changed.
  timeline.on('changed', () => {
    if (!state.lastFit || !(state.refitsLeft > 0)) return;
    state.refitsLeft -= 1;
    const panelWidth = centrePanelWidth();
    if (widestItemWidth() > state.lastFit.widest || panelWidth !== state.lastFit.panelWidth) fitAll(true);
  });

  function centrePanelWidth() {
    return (ui.timeline.querySelector('.vis-panel.vis-center') || ui.timeline).clientWidth || 800;
  }

  /** The widest item box drawn so far (vis-timeline draws them as they are added); a guess before any. */
  function widestItemWidth() {
    let widest = 0;
    for (const box of ui.timeline.querySelectorAll('.vis-item.vis-box')) widest = Math.max(widest, box.offsetWidth);
    return widest || 280;
  }

  // ---------------------------------------------------------------------------------------------
  // Live updates: GraphQL over Server-Sent Events, read with fetch (so the request can carry the
  // Authorization header, which EventSource cannot), resumed from the last position received.

  function connectLive() {
    clearTimeout(state.retryTimer);
    if (state.live) state.live.abort();
    const controller = new AbortController();
    state.live = controller;
    // Resume after the newest event received. When the history loaded empty, start after position 0
    // (every event from the beginning: none, or those appended since), so none is lost between the
    // query and the feed. When the history could not load at all, only new events.
    const after = state.lastPosition !== null ? state.lastPosition : state.historyLoaded ? '0' : null;
    const variables = after === null ? {} : { after };
    setLive('connecting', 'Connecting…');
    void readFeed(controller, variables).then(
      (ended) => {
        // The server ended the stream (it completed, e.g. on shutdown): resume from the last position.
        if (state.live === controller && ended) reconnectLater(controller, 'The live feed ended');
      },
      (error) => {
        if (state.live !== controller || controller.signal.aborted) return;
        if (error instanceof AccessError) {
          setLive('error', 'Live feed: access denied');
          askForToken(error.message);
          return;
        }
        reconnectLater(controller, error.message);
      },
    );
  }

  /** Reads one SSE response to its end; resolves true when the server ended it. */
  async function readFeed(controller, variables) {
    const response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { ...authHeaders(), 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: LIVE_SUBSCRIPTION, variables }),
      signal: controller.signal,
      cache: 'no-store',
    });
    const type = response.headers.get('content-type') || '';
    if (!response.ok || !type.includes('text/event-stream')) {
      const body = await response.json().catch(() => null);
      throw graphqlError(body, response.status);
    }
    state.retryMs = 1000;
    setLive('live', 'Live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return true;
      buffer += value.replace(/\r\n?/g, '\n');
      let boundary;
      while ((boundary = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (handleSseMessage(parseSseBlock(block)) === 'complete') return true;
      }
    }
  }

  /** One SSE message: `event:` and `data:` lines (comments, used as keep-alive pings, ignored). */
  function parseSseBlock(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return { event, data: data.join('\n') };
  }

  function handleSseMessage({ event, data }) {
    if (event === 'complete') return 'complete';
    if (event !== 'next' && event !== 'message') return null;
    if (data === '') return null;
    let payload;
    try {
      payload = JSON.parse(data);
    } catch {
      return null;
    }
    if (payload.errors && payload.errors.length > 0) throw graphqlError(payload, 200);
    const recorded = payload.data && payload.data.events;
    if (recorded) onLiveEvent(recorded);
    return null;
  }

  function reconnectLater(controller, reason) {
    if (state.live !== controller) return;
    controller.abort();
    state.live = null;
    const delay = state.retryMs;
    state.retryMs = Math.min(state.retryMs * 2, MAX_RETRY_MS);
    setLive('offline', `${reason}; reconnecting in ${Math.round(delay / 1000)} s`);
    state.retryTimer = setTimeout(connectLive, delay);
  }

  function onLiveEvent(event) {
    const fresh = addEvents([event]);
    if (fresh.length === 0) return;
    setStatus(`Live: ${event.type} on ${event.streamName} (${state.events.size} events).`);
    if (ui.follow.checked) {
      // Keep the zoom; bring the new event into view, across and (in a tall stack) down.
      const at = Date.parse(event.occurredAt);
      const view = timeline.getWindow();
      const span = view.end.getTime() - view.start.getTime();
      if (at > view.end.getTime() - span * 0.05 || at < view.start.getTime()) {
        timeline.setWindow(at - span * 0.8, at + span * 0.2, { animation: false });
      }
      timeline.focus(event.position, { zoom: false, animation: false });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Controls

  for (const radio of document.querySelectorAll('input[name="group-by"]')) {
    radio.addEventListener('change', () => {
      if (radio.checked) regroup(radio.value);
    });
  }
  ui.fit.addEventListener('click', () => fitAll());
  ui.loadOlder.addEventListener('click', () => void loadOlder());

  loadInitial().then(connectLive, (error) => {
    setStatus(`Could not load events: ${error.message}`, true);
    if (error instanceof AccessError) {
      setLive('error', 'Not connected');
      askForToken(error.message);
    } else {
      connectLive();
    }
  });
})();
