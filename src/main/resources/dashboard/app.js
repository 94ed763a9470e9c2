'use strict';
// The batchgate dashboard: plain JavaScript, no build step. Everything it shows comes from the HTTP API
// (/openapi.json); live progress comes from each batch's Server-Sent Events.

// Browsers open about 6 connections per host over HTTP/1.1: live streams beyond this wait for the next refresh.
const MAX_STREAMS = 4;
const LIST_REFRESH_MS = 3000;
const TARGETS_REFRESH_MS = 2000;
const FAILED_PAGE = 100;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Every call to batchgate goes through here, so that a 401 is handled in one place.
const api = {
  async call(method, path) {
    const response = await fetch(path, { method, credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      unauthorized();
      throw new ApiError(401, 'this batchgate asks for an API key');
    }
    const type = response.headers.get('Content-Type') || '';
    const data = type.includes('json') ? await response.json() : null;
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.error) || response.statusText);
    }
    return data;
  },
  get(path) {
    return this.call('GET', path);
  },
  post(path) {
    return this.call('POST', path);
  },
  // an EventSource cannot send headers: with API keys on, the key travels in the session cookie
  events(path) {
    return new EventSource(path, { withCredentials: true });
  },
};

// With batchgate.api-keys set, the session cookie ran out: log in again (the login page comes back here).
function unauthorized() {
  location.assign('/login');
}

// ---- small helpers ---------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function notice(text) {
  const box = document.getElementById('notice');
  box.textContent = text || '';
  box.hidden = !text;
}

function connection(ok, text) {
  const badge = document.getElementById('connection');
  badge.textContent = text;
  badge.className = 'connection ' + (ok ? 'ok' : 'down');
}

const number = n => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + String(s % 60).padStart(2, '0') + ' s';
  return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
}

function ago(iso) {
  if (!iso) return '–';
  const ms = Date.now() - Date.parse(iso);
  return ms < 5000 ? 'just now' : duration(ms) + ' ago';
}

const rate = b => (b.ratePerMinute === null || b.ratePerMinute === undefined ? '–' : number(b.ratePerMinute) + '/min');
const eta = b => (b.etaMs === null || b.etaMs === undefined ? '–' : duration(b.etaMs));
const finishedCount = b => b.total - (b.pending || 0) - (b.running || 0);
const isLive = b => b.status === 'pending' || b.status === 'running';

function operationOf(b) {
  if (Array.isArray(b.steps)) return b.steps.map(s => s.operation).join(' › ');
  return Array.isArray(b.operation) ? b.operation.join(' + ') : b.operation;
}

function statusBadge(b) {
  return el('span', { class: 'status ' + b.status, 'data-status': b.status },
    b.status, b.reason && b.reason !== b.status ? ' (' + b.reason.replace(/_/g, ' ') + ')' : '');
}

// A stacked bar: succeeded, failed, otherwise finished (skipped, cancelled, rolled back).
function progressBar(b, big) {
  const total = b.total || 0;
  const share = n => (total ? (n || 0) * 100 / total : 0);
  const progress = b.progress !== undefined && b.progress !== null ? b.progress : 100;
  return el('div', {
    class: big ? 'bar big' : 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': progress, 'aria-label': 'progress', title: progress + ' % done',
  },
  el('span', { class: 'fill ok', style: 'width:' + share(b.succeeded) + '%' }),
  el('span', { class: 'fill bad', style: 'width:' + share((b.failed || 0) + (b.rollbackFailed || 0)) + '%' }),
  el('span', { class: 'fill other', style: 'width:' + share((b.skipped || 0) + (b.cancelled || 0) + (b.rolledBack || 0)) + '%' }));
}

// ---- live streams ----------------------------------------------------------------------------

// Follows one batch's events; onUpdate gets every summary, the last one when the batch is done.
function follow(id, onUpdate) {
  const source = api.events('/v1/batches/' + encodeURIComponent(id) + '/events');
  const handle = event => onUpdate(JSON.parse(event.data));
  source.addEventListener('snapshot', handle);
  source.addEventListener('progress', handle);
  source.addEventListener('done', event => {
    source.close();
    handle(event);
  });
  return source;
}

// ---- the batches view -------------------------------------------------------------------------

function batchesView(root) {
  const batches = new Map();
  const streams = new Map();
  const timers = [];
  const runningBody = el('tbody');
  const recentBody = el('tbody');
  const targetsBody = el('tbody');
  const nodesBody = el('tbody');
  const runningCount = el('span', { class: 'count' });
  const nodesCount = el('span', { class: 'count' });

  root.replaceChildren(el('div', { class: 'columns' },
    el('div', { class: 'main' },
      el('section', {},
        el('h2', {}, 'Running ', runningCount),
        batchTable(runningBody, 'Nothing is running.', 'running')),
      el('section', {},
        el('h2', {}, 'Recent'),
        batchTable(recentBody, 'No batches yet.', 'recent'))),
    el('aside', {},
      el('section', {},
        el('h2', {}, 'Targets'),
        el('table', { class: 'targets' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Target'), el('th', { class: 'num' }, 'Rate'),
            el('th', { class: 'num' }, 'In flight'))),
          targetsBody)),
      el('section', {},
        el('h2', {}, 'Nodes', nodesCount),
        el('table', { class: 'nodes' },
          el('thead', {}, el('tr', {}, el('th', {}, 'Node'), el('th', { class: 'num' }, 'In flight'))),
          nodesBody)))));

  function batchTable(body, empty, name) {
    return el('div', { class: 'scroll' }, el('table', { class: 'batches', 'data-table': name, 'data-empty': empty },
      el('thead', {}, el('tr', {},
        el('th', {}, 'Batch'), el('th', {}, 'Target · operation'), el('th', {}, 'Trigger'), el('th', {}, 'Status'),
        el('th', { class: 'progress' }, 'Progress'), el('th', { class: 'num', title: 'succeeded / failed / total' }, 'Items'),
        el('th', { class: 'num' }, 'Rate'), el('th', { class: 'num' }, name === 'running' ? 'ETA' : 'Took'))),
      body));
  }

  function row(b) {
    const link = '#/batches/' + encodeURIComponent(b.id);
    return el('tr', { 'data-batch-id': b.id, class: isLive(b) ? 'live' : '' },
      el('td', {}, el('a', { href: link, class: 'id' }, b.id),
        el('div', { class: 'muted small', title: b.createdAt }, ago(b.createdAt))),
      el('td', {}, el('strong', {}, b.target), ' · ', operationOf(b)),
      el('td', { class: 'trigger' }, b.trigger),
      el('td', {}, statusBadge(b)),
      el('td', { class: 'progress' }, progressBar(b), el('span', { class: 'pct' }, b.progress + ' %')),
      el('td', { class: 'num' },
        el('span', { class: 'ok', title: 'succeeded' }, number(b.succeeded)), ' / ',
        el('span', { class: b.failed ? 'bad' : '', title: 'failed' }, number(b.failed)), ' / ',
        el('span', { title: 'total' }, number(b.total))),
      el('td', { class: 'num' }, rate(b)),
      el('td', { class: 'num' }, isLive(b) ? eta(b) : duration(b.durationMs)));
  }

  function fill(body, list) {
    if (list.length === 0) {
      body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 8 }, body.parentNode.dataset.empty)));
    } else {
      body.replaceChildren(...list.map(row));
    }
  }

  function render() {
    const all = [...batches.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const running = all.filter(isLive);
    runningCount.textContent = running.length ? '(' + running.length + ')' : '';
    fill(runningBody, running);
    fill(recentBody, all.filter(b => !isLive(b)));
  }

  function update(b) {
    const known = batches.get(b.id);
    // a list fetched before the last event may be older than what the stream said
    if (known && isLive(b) && finishedCount(known) > finishedCount(b)) return;
    batches.set(b.id, b);
    const current = document.querySelector('tr[data-batch-id="' + CSS.escape(b.id) + '"]');
    if (current && known && isLive(known) === isLive(b)) {
      current.replaceWith(row(b));
    } else {
      render();
    }
  }

  function stream(b) {
    if (streams.has(b.id) || streams.size >= MAX_STREAMS) return;
    streams.set(b.id, follow(b.id, summary => {
      update(summary);
      if (!isLive(summary)) {
        streams.delete(summary.id);
      }
    }));
  }

  async function refreshBatches() {
    try {
      const data = await api.get('/v1/batches?limit=50');
      const seen = new Set();
      for (const b of data.batches) {
        seen.add(b.id);
        update(b);
        if (isLive(b)) stream(b);
      }
      for (const id of [...batches.keys()]) {
        if (!seen.has(id) && !streams.has(id)) batches.delete(id);
      }
      render();
      connection(true, 'live');
    } catch (e) {
      connection(false, e.status === 401 ? 'login required' : 'offline');
    }
  }

  async function refreshTargets() {
    try {
      const data = await api.get('/v1/targets');
      targetsBody.replaceChildren(...data.targets.map(t => {
        const live = t.live || {};
        const limit = t.effectiveRpm || t.rpm;
        return el('tr', { 'data-target': t.name },
          el('td', {}, el('strong', {}, t.name), el('div', { class: 'muted small' },
            limit ? 'limit ' + number(limit) + '/min' : 'no rate limit',
            live.pausedForMs ? ' · paused ' + duration(live.pausedForMs) : '')),
          el('td', { class: 'num' }, number(live.ratePerMinute) + '/min',
            limit ? el('div', { class: 'meter' }, el('span', { style: 'width:' + Math.min(100, live.ratePerMinute * 100 / limit) + '%' })) : ''),
          el('td', { class: 'num' }, number(live.inFlight) + ' / ' + number(t.concurrency),
            el('div', { class: 'muted small' }, number(live.waiting) + ' waiting')));
      }));
    } catch (e) {
      // the batches refresh reports the connection
    }
  }

  async function refreshNodes() {
    try {
      const data = await api.get('/v1/cluster');
      nodesCount.textContent = data.clustered ? ' · ' + data.nodes.length + ' in the cluster' : ' · single node';
      if (data.nodes.length === 0) {
        nodesBody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 2 }, 'No live nodes.')));
        return;
      }
      nodesBody.replaceChildren(...data.nodes.map(n => el('tr', { 'data-node-id': n.id, 'data-self': n.self },
        el('td', {}, el('strong', {}, n.id), n.self ? [' ', el('span', { class: 'status self' }, 'this node')] : null,
          el('div', { class: 'muted small' }, n.address),
          el('div', { class: 'muted small' }, 'started ', el('span', { title: n.startedAt }, ago(n.startedAt)),
            ' · seen ', el('span', { title: n.lastSeenAt }, ago(n.lastSeenAt)))),
        el('td', { class: 'num' }, number(n.inFlight)))));
    } catch (e) {
      // the batches refresh reports the connection
    }
  }

  refreshBatches();
  refreshTargets();
  refreshNodes();
  timers.push(setInterval(refreshBatches, LIST_REFRESH_MS), setInterval(refreshTargets, TARGETS_REFRESH_MS),
    setInterval(refreshNodes, LIST_REFRESH_MS));
  return () => {
    timers.forEach(clearInterval);
    streams.forEach(s => s.close());
  };
}

// ---- one batch -------------------------------------------------------------------------------

function batchView(root, id) {
  let batch = null;
  let source = null;
  let failedShown = 0;
  let lastFailedCount = -1;
  let reloadTimer = null;
  let lastReload = 0;
  const header = el('div');
  const failedBody = el('tbody');
  const failedTitle = el('h3', {});
  const more = el('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => loadFailed(false) }, 'Show more');

  root.replaceChildren(
    el('div', { class: 'crumbs' }, el('a', { href: '#/' }, 'Batches'), ' / ', el('code', {}, id)),
    header,
    el('section', {}, failedTitle,
      el('table', { class: 'failed' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Item'), el('th', { class: 'num' }, 'HTTP'),
          el('th', { class: 'num' }, 'Attempts'), el('th', { class: 'num' }, 'Took'), el('th', {}, 'Error'))),
        failedBody),
      more));

  function fact(label, value) {
    return el('div', { class: 'fact' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, value));
  }

  function render() {
    const b = batch;
    const finished = !isLive(b);
    const retryable = (b.failed || 0) + (b.cancelled || 0);
    header.replaceChildren(
      el('div', { class: 'title' },
        el('h2', {}, b.target, ' · ', operationOf(b)),
        statusBadge(b),
        el('div', { class: 'actions' },
          el('button', { type: 'button', id: 'cancel', class: 'danger', disabled: finished, onclick: cancel }, 'Cancel batch'),
          el('button', {
            type: 'button', id: 'retry', disabled: !finished || retryable === 0, onclick: retry,
            title: 'Start a new batch of the failed and cancelled items',
          }, 'Retry failed (' + number(retryable) + ')'))),
      el('div', { class: 'progress-line' }, progressBar(b, true), el('span', { class: 'pct', id: 'progress' }, b.progress + ' %')),
      el('div', { class: 'facts' },
        fact('Succeeded', el('span', { class: 'ok' }, number(b.succeeded))),
        fact('Failed', el('span', { class: b.failed ? 'bad' : '' }, number(b.failed))),
        fact('Skipped', number(b.skipped)),
        fact('Cancelled', number(b.cancelled)),
        b.rolledBack || b.rollbackFailed ? fact('Rolled back', number(b.rolledBack) + ' (' + number(b.rollbackFailed) + ' failed)') : null,
        fact('Pending', number((b.pending || 0) + (b.running || 0))),
        fact('Total', number(b.total)),
        fact('Rate', rate(b)),
        fact(finished ? 'Took' : 'ETA', finished ? duration(b.durationMs) : eta(b)),
        fact('Trigger', el('span', { class: 'trigger' }, b.trigger)),
        b.retryOf ? fact('Retry of', el('a', { href: '#/batches/' + encodeURIComponent(b.retryOf) }, b.retryOf)) : null,
        fact('Created', el('span', { title: b.createdAt }, ago(b.createdAt))),
        b.finishedAt ? fact('Finished', el('span', { title: b.finishedAt }, ago(b.finishedAt))) : null));
    failedTitle.textContent = 'Failed items (' + number(b.failed || 0) + ')';
    if ((b.failed || 0) !== lastFailedCount) {
      lastFailedCount = b.failed || 0;
      reloadFailedSoon();
    }
  }

  // at most one reload a second, however fast items fail
  function reloadFailedSoon() {
    if (reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      lastReload = Date.now();
      loadFailed(true);
    }, Math.max(0, lastReload + 1000 - Date.now()));
  }

  async function loadFailed(fromStart) {
    try {
      const offset = fromStart ? 0 : failedShown;
      const limit = fromStart ? Math.max(FAILED_PAGE, failedShown) : FAILED_PAGE;
      const page = await api.get('/v1/batches/' + encodeURIComponent(id) + '/results?status=failed&offset=' + offset + '&limit=' + Math.min(limit, 1000));
      const rows = page.results.map(r => el('tr', { 'data-item-id': String(r.id) },
        el('td', {}, el('code', {}, String(r.id))),
        el('td', { class: 'num' }, r.httpStatus || '–'),
        el('td', { class: 'num' }, number(r.attempts)),
        el('td', { class: 'num' }, duration(r.durationMs)),
        el('td', { class: 'error' }, r.error || '')));
      if (fromStart) {
        failedBody.replaceChildren(...rows);
        failedShown = rows.length;
      } else {
        failedBody.append(...rows);
        failedShown += rows.length;
      }
      if (failedShown === 0) {
        failedBody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, 'No failed items.')));
      }
      more.hidden = failedShown >= page.total;
    } catch (e) {
      notice('Could not load the failed items: ' + e.message);
    }
  }

  async function cancel() {
    if (!window.confirm('Cancel batch ' + id + '? Calls in flight finish; the other items end cancelled.')) return;
    try {
      batch = await api.post('/v1/batches/' + encodeURIComponent(id) + '/cancel');
      render();
    } catch (e) {
      notice('Cancel failed: ' + e.message);
    }
  }

  async function retry() {
    try {
      const created = await api.post('/v1/batches/' + encodeURIComponent(id) + '/retry');
      location.hash = '#/batches/' + encodeURIComponent(created.id);
    } catch (e) {
      notice('Retry failed: ' + e.message);
    }
  }

  api.get('/v1/batches/' + encodeURIComponent(id)).then(b => {
    batch = b;
    render();
    if (isLive(b)) {
      source = follow(id, summary => {
        batch = summary;
        render();
      });
    }
  }).catch(e => {
    header.replaceChildren(el('p', { class: 'notice' }, e.status === 404 ? 'There is no batch ' + id + '.' : 'Could not load the batch: ' + e.message));
  });
  return () => {
    if (source) source.close();
    clearTimeout(reloadTimer);
  };
}

// ---- navigation ------------------------------------------------------------------------------

let leaveView = null;

function navigate() {
  if (leaveView) leaveView();
  notice('');
  const root = document.getElementById('view');
  const match = location.hash.match(/^#\/batches\/(.+)$/);
  leaveView = match ? batchView(root, decodeURIComponent(match[1])) : batchesView(root);
}

window.addEventListener('hashchange', navigate);
navigate();
