// The payment service's dashboard: plain JavaScript, no build step.
// Region states come live from the starter's Server-Sent Events stream (/resilient-cache/stream):
// a `snapshot` on connect, a `region-state` event on every change and `rates` every second.
// The embedded servers' states (/demo/regions), the load run (/demo/load) and the health with each
// region's breaker, journal depth and reason (/actuator/health) are polled every second.
'use strict';

const STREAM = '/resilient-cache/stream';
const HISTORY = 120;

const model = {
  regions: {},         // name -> {state, reason, since, breaker, failureRate, slowCallRate, journalDepth, local, server}
  order: [],           // region names, local first
  streamLive: false,
  caches: {},          // name -> {hits, misses, failovers, nearHits}
  previousTotals: null,
  throughput: [],      // payments/s, one sample per poll
  p99: []              // recent p99 ms, one sample per poll
};

const $ = (id) => document.getElementById(id);

// ---- live stream -----------------------------------------------------------------------------

function connectStream() {
  const source = new EventSource(STREAM);
  source.addEventListener('snapshot', (event) => {
    const regions = JSON.parse(event.data);
    for (const [name, region] of Object.entries(regions)) {
      Object.assign(regionModel(name), region);
    }
    setStream(true);
    renderRegions();
  });
  source.addEventListener('region-state', (event) => {
    const change = JSON.parse(event.data);
    Object.assign(regionModel(change.region), { state: change.to, reason: change.reason, since: change.at });
    logEvent(change.at, `${change.region}: ${change.from} → ${change.to}`, change.reason);
    renderRegions();
  });
  source.addEventListener('rates', (event) => {
    const rates = JSON.parse(event.data);
    for (const [name, region] of Object.entries(rates.regions)) {
      Object.assign(regionModel(name), region);
    }
    model.caches = rates.caches;
    renderRegions();
    renderCaches();
  });
  source.addEventListener('fleet', (event) => renderFleet(JSON.parse(event.data)));
  source.onopen = () => setStream(true);
  source.onerror = () => {
    setStream(false);
    // The browser retries by itself after a network error, not after an HTTP error such as 503
    // (too many clients): then it closes the source, and we try again later.
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connectStream, 5000);
    }
  };
}

function setStream(live) {
  model.streamLive = live;
  const badge = $('stream-status');
  badge.textContent = live ? 'live' : 'reconnecting';
  badge.dataset.status = live ? 'LIVE' : 'RECONNECTING';
}

function regionModel(name) {
  if (!model.regions[name]) {
    model.regions[name] = {};
    model.order.push(name);
  }
  return model.regions[name];
}

// ---- polling ---------------------------------------------------------------------------------

async function pollRegions() {
  const response = await fetch('/demo/regions', { cache: 'no-store' });
  if (!response.ok) {
    return;
  }
  for (const region of await response.json()) {
    const target = regionModel(region.name);
    Object.assign(target, { server: region.server, local: region.local });
    // The stream is the source of states (it has every change at once); this keeps them right
    // while it reconnects.
    if (!model.streamLive) {
      target.state = region.state;
    }
  }
  renderRegions();
}

async function pollLoad() {
  const response = await fetch('/demo/load', { cache: 'no-store' });
  // 204 before the first run: nothing to show yet.
  if (response.status === 200) {
    renderLoad(await response.json());
  }
}

async function pollHealth() {
  const response = await fetch('/actuator/health', { cache: 'no-store' });
  const health = await response.json();
  const badge = $('health');
  badge.textContent = health.status;
  badge.dataset.status = health.status;
  // The stream's rates events carry no breaker state and no journal depth, and its snapshot no
  // reason: the health details have them (with addresses redacted).
  const cache = health.components && health.components.resilientCache;
  const regions = (cache && cache.details && cache.details.regions) || {};
  for (const [name, region] of Object.entries(regions)) {
    const target = regionModel(name);
    Object.assign(target, { breaker: region.breaker, journalDepth: region.journalDepth, reason: region.reason, since: region.since });
    if (!model.streamLive) {
      target.state = region.state;
    }
  }
  renderRegions();
}

function every(millis, task) {
  const run = () => task().catch(() => { /* the next poll retries */ });
  run();
  setInterval(run, millis);
}

// ---- rendering -------------------------------------------------------------------------------

function renderRegions() {
  const container = $('regions');
  for (const name of model.order) {
    const region = model.regions[name];
    let card = container.querySelector(`[data-region="${name}"]`);
    if (!card) {
      card = createRegionCard(name);
      container.appendChild(card);
    }
    card.dataset.state = region.state || 'UNKNOWN';
    setField(card, 'state', region.state || '…', true);
    setField(card, 'server', region.server || 'external', true);
    setField(card, 'breaker', region.breaker || '–');
    setField(card, 'failureRate', percent(region.failureRate));
    setField(card, 'slowCallRate', percent(region.slowCallRate));
    setField(card, 'journalDepth', region.journalDepth ?? '–');
    setField(card, 'since', region.since ? new Date(region.since).toLocaleTimeString() : '–');
    setField(card, 'reason', region.reason || '');
    card.querySelector('.local').hidden = !region.local;
    const embedded = Boolean(region.server);
    card.querySelector('[data-action="stop"]').disabled = !embedded || region.server === 'STOPPED';
    card.querySelector('[data-action="hang"]').disabled = !embedded || region.server !== 'RUNNING';
    card.querySelector('[data-action="restore"]').disabled = !embedded || region.server === 'RUNNING';
  }
}

function createRegionCard(name) {
  const card = document.createElement('article');
  card.className = 'region';
  card.dataset.region = name;
  card.innerHTML = `
    <h3><span class="name"></span><span class="local">local</span></h3>
    <span class="badge region-state" data-field="state"></span>
    <dl>
      <dt>server</dt><dd><span class="badge" data-field="server"></span></dd>
      <dt>breaker</dt><dd data-field="breaker"></dd>
      <dt>failure rate</dt><dd data-field="failureRate"></dd>
      <dt>slow calls</dt><dd data-field="slowCallRate"></dd>
      <dt>journal</dt><dd data-field="journalDepth"></dd>
      <dt>since</dt><dd data-field="since"></dd>
    </dl>
    <div class="reason" data-field="reason"></div>
    <div class="actions">
      <button type="button" data-action="stop">Stop</button>
      <button type="button" data-action="hang">Hang</button>
      <button type="button" data-action="restore">Restore</button>
    </div>`;
  card.querySelector('.name').textContent = name;
  for (const button of card.querySelectorAll('button[data-action]')) {
    button.dataset.region = name;
    button.addEventListener('click', () => regionAction(name, button.dataset.action));
  }
  return card;
}

function setField(card, field, value, badge) {
  const element = card.querySelector(`[data-field="${field}"]`);
  element.textContent = value;
  if (badge) {
    element.dataset.status = value;
  }
}

function renderLoad(figures) {
  $('load-state').textContent = `#${figures.run} ${figures.state.toLowerCase()}`;
  $('load-throughput').textContent = figures.paymentsPerSecond;
  const active = figures.state === 'RUNNING' || figures.state === 'DRAINING';
  // While a run is active, the last five seconds (what a failure does now); after it, the whole run.
  const latency = active ? figures.recentLatency : figures.latency;
  $('load-latency-scope').textContent = active ? 'last 5 s' : 'whole run';
  $('load-p50').textContent = millis(latency.p50);
  $('load-p95').textContent = millis(latency.p95);
  $('load-p99').textContent = millis(latency.p99);
  $('load-errors').textContent = figures.errors;
  $('load-errors').dataset.nonzero = String(figures.errors > 0);
  $('load-approved').textContent = figures.approved;
  $('load-declined').textContent = figures.declined;
  $('load-sent').textContent = figures.sent;
  $('load-in-flight').textContent = figures.inFlight;
  const declines = Object.entries(figures.declinesByReason).map(([reason, count]) => `${reason} ${count}`).join(', ');
  $('load-detail').textContent = `Whole run: p50 ${millis(figures.latency.p50)}, p95 ${millis(figures.latency.p95)}, `
    + `p99 ${millis(figures.latency.p99)}, max ${millis(figures.latency.max)}; ${figures.averagePaymentsPerSecond} payments/s on average`
    + (declines ? `; declines: ${declines}` : '')
    + (figures.lastError ? `; last error: ${figures.lastError}` : '');
  if (active) {
    push(model.throughput, figures.paymentsPerSecond);
    push(model.p99, figures.recentLatency.p99);
    drawChart($('chart-throughput'), model.throughput, '#2453d6');
    drawChart($('chart-p99'), model.p99, '#c0262d');
  }
}

function renderCaches() {
  const body = $('caches').querySelector('tbody');
  body.textContent = '';
  const totals = { hits: 0, misses: 0, failovers: 0 };
  for (const [name, cache] of Object.entries(model.caches).sort()) {
    // A near hit never reaches a region: it counts as a hit of the cache, shown in its own column too.
    const nearHits = cache.nearHits || 0;
    const hits = cache.hits + nearHits;
    totals.hits += hits;
    totals.misses += cache.misses;
    totals.failovers += cache.failovers;
    const row = body.insertRow();
    for (const value of [name, hits, cache.misses, cache.failovers, ratio(hits, cache.misses), ratio(nearHits, cache.hits + cache.misses)]) {
      row.insertCell().textContent = value;
    }
  }
  $('hit-ratio').textContent = ratio(totals.hits, totals.misses);
  $('failovers').textContent = totals.failovers;
  const previous = model.previousTotals;
  if (previous) {
    $('hit-ratio-recent').textContent = ratio(totals.hits - previous.hits, totals.misses - previous.misses);
  }
  model.previousTotals = totals;
}

function drawChart(canvas, values, color) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const max = Math.max(1, ...values) * 1.1;
  context.fillStyle = '#667085';
  context.font = '11px system-ui, sans-serif';
  context.fillText(Math.round(max), 4, 12);
  context.strokeStyle = color;
  context.lineWidth = 2;
  context.beginPath();
  values.forEach((value, index) => {
    const x = (index / (HISTORY - 1)) * width;
    const y = height - (value / max) * (height - 4) - 2;
    if (index === 0) {
      context.moveTo(x, y);
    }
    else {
      context.lineTo(x, y);
    }
  });
  context.stroke();
}

// ---- actions ---------------------------------------------------------------------------------

async function regionAction(name, action) {
  logEvent(new Date().toISOString(), `${action} ${name}`, 'requested from the dashboard');
  const response = await fetch(`/demo/regions/${encodeURIComponent(name)}/${action}`, { method: 'POST' });
  if (!response.ok) {
    toast(await problemDetail(response));
  }
  await pollRegions();
}

async function startLoad(event) {
  event.preventDefault();
  const rate = $('load-rate-input').value;
  const seconds = $('load-seconds-input').value;
  const response = await fetch(`/demo/load?rate=${encodeURIComponent(rate)}&seconds=${encodeURIComponent(seconds)}`, { method: 'POST' });
  if (!response.ok) {
    toast(await problemDetail(response));
    return;
  }
  model.throughput.length = 0;
  model.p99.length = 0;
  logEvent(new Date().toISOString(), `load started: ${rate}/s for ${seconds} s`, '');
  renderLoad(await response.json());
}

async function stopLoad() {
  const response = await fetch('/demo/load', { method: 'DELETE' });
  if (response.ok) {
    renderLoad(await response.json());
  }
}

async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail || problem.title || `HTTP ${response.status}`;
  }
  catch (error) {
    return `HTTP ${response.status}`;
  }
}

// ---- fleet -----------------------------------------------------------------------------------

// The `fleet` event (resilient-cache.fleet.enabled): every instance's view of every region, and the
// incidents. Built with text nodes only: instance names and reasons come from Redis.
function renderFleet(fleet) {
  const head = $('fleet-matrix').querySelector('thead tr');
  head.replaceChildren(cell('th', 'instance'), ...fleet.regions.map((region) => cell('th', region)));
  const body = $('fleet-matrix').querySelector('tbody');
  body.replaceChildren(...fleet.instances.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.stale = row.stale;
    const name = cell('td', `${row.instance}${row.instance === fleet.instance ? ' (this)' : ''} · ${row.localRegion}`);
    name.title = row.stale ? `stale: last snapshot ${millis(row.ageMillis)} ago` : `last snapshot ${millis(row.ageMillis)} ago`;
    tr.append(name, ...fleet.regions.map((region) => {
      const view = row.regions[region];
      const td = cell('td', view ? (row.stale ? 'STALE' : view.state) : '–');
      td.className = 'fleet-cell';
      td.dataset.state = row.stale ? 'STALE' : (view ? view.state : 'NONE');
      if (view) {
        // That instance's p99 of the calls the region answered in its last interval, and their rate.
        const load = document.createElement('small');
        load.className = 'fleet-load';
        load.textContent = `p99 ${latency(view.p99Millis)} · ${callRate(view.callsPerSecond)}`;
        td.append(document.createElement('br'), load);
        td.title = `breaker ${view.breaker}, failure rate ${percent(view.failureRate)}, slow calls ${percent(view.slowCallRate)}, `
          + `journal ${view.journalDepth}, since ${view.since}: ${view.reason}`;
      }
      return td;
    }));
    return tr;
  }));
  $('fleet-leader').textContent = fleet.leader ? 'this instance leads the fleet' : 'another instance leads the fleet';
  const timeline = $('fleet-timeline');
  timeline.replaceChildren(...fleet.timeline.slice().reverse().map((entry) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.textContent = new Date(entry.at).toLocaleTimeString();
    item.append(time, document.createTextNode(`${entry.region}: ${entry.what} (${entry.incident})`));
    return item;
  }));
  if (fleet.timeline.length === 0) {
    timeline.replaceChildren(cell('li', 'no incident yet'));
  }
}

function cell(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

// ---- helpers ---------------------------------------------------------------------------------

function logEvent(at, what, why) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date(at).toLocaleTimeString();
  const text = document.createElement('span');
  text.textContent = why ? `${what} (${why})` : what;
  item.append(time, text);
  const list = $('events');
  list.prepend(item);
  while (list.children.length > 100) {
    list.lastChild.remove();
  }
}

function toast(message) {
  const element = $('toast');
  element.textContent = message;
  element.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => element.classList.remove('visible'), 5000);
}

function push(values, value) {
  values.push(value);
  if (values.length > HISTORY) {
    values.shift();
  }
}

function percent(rate) {
  return (rate === undefined || rate < 0) ? '–' : `${rate.toFixed(0)}%`;
}

// -1: unknown (no call in the interval, or no latency histogram); a fleet cell then shows a dash.
function latency(p99Millis) {
  return (p99Millis === undefined || p99Millis < 0) ? '–' : millis(p99Millis);
}

function callRate(callsPerSecond) {
  return (callsPerSecond === undefined || callsPerSecond < 0) ? '– calls/s' : `${Math.round(callsPerSecond)} calls/s`;
}

function millis(value) {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function ratio(hits, misses) {
  const total = hits + misses;
  return total > 0 ? `${((100 * hits) / total).toFixed(1)}%` : '–';
}

// ---- start -----------------------------------------------------------------------------------

$('load-form').addEventListener('submit', (event) => startLoad(event).catch((error) => toast(error.message)));
$('load-stop').addEventListener('click', () => stopLoad().catch((error) => toast(error.message)));
connectStream();
every(1000, pollRegions);
every(1000, pollLoad);
every(1000, pollHealth);
