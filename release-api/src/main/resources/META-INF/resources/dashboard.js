'use strict';
// The Switchback dashboard: initial data from the REST API, every change after that from GET /releases/stream.
// The stream is read with fetch() and a streaming reader rather than EventSource, because EventSource cannot send an
// Authorization header and a token in the URL would end up in access logs and browser history.
(() => {
    const TOKEN_KEY = 'switchback.token';
    const RUNNING = ['MIGRATING', 'DEPLOYING', 'SWITCHING', 'ROLLING_BACK'];
    const WAITING = ['AWAITING_APPROVAL', 'QUEUED'];
    const ACTIONS = [
        {name: 'promote', role: 'releaser', phases: ['LIVE']},
        {name: 'rollback', role: 'releaser', phases: ['LIVE']},
        {name: 'abort', role: 'releaser', phases: ['AWAITING_APPROVAL', 'QUEUED', 'MIGRATING', 'DEPLOYING', 'SWITCHING']},
        {name: 'approve', role: 'approver', phases: ['AWAITING_APPROVAL']},
        {name: 'reject', role: 'approver', phases: ['AWAITING_APPROVAL']},
    ];
    const HISTORY_ROWS = 8;
    /** DORA_WINDOW: the window of the DORA line on each card. */
    const DORA_WINDOW = 'P7D';

    let token = sessionStorage.getItem(TOKEN_KEY);
    let me = null;
    let stream = null;
    let lastEventId = null;
    let retryMillis = 1000;
    const cards = new Map();

    const $ = (selector, root = document) => root.querySelector(selector);

    /** An element with attributes and children (strings become text: nothing from the API is parsed as HTML). */
    function el(tag, attrs, ...children) {
        const node = tag.startsWith('svg:') ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
            : document.createElement(tag);
        for (const [key, value] of Object.entries(attrs || {})) {
            if (value === null || value === undefined || value === false) continue;
            if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
            else node.setAttribute(key, value === true ? '' : value);
        }
        for (const child of children.flat()) {
            if (child !== null && child !== undefined && child !== false) {
                node.append(child instanceof Node ? child : String(child));
            }
        }
        return node;
    }

    function problemText(status, body) {
        if (body && typeof body === 'object') {
            const fields = (body.violations || []).map(v => `${v.field}: ${v.message}`).join('; ');
            return `${body.status || status} ${body.title || ''}: ${body.detail || ''}${fields ? ' (' + fields + ')' : ''}`;
        }
        return `${status}: ${body || 'no answer'}`;
    }

    async function api(method, path) {
        const response = await fetch(path, {method, headers: {Authorization: 'Bearer ' + token, Accept: 'application/json'}});
        const text = await response.text();
        let body = text;
        try {
            body = text ? JSON.parse(text) : null;
        } catch (e) {
            // not JSON: shown as it came
        }
        if (!response.ok) {
            const error = new Error(problemText(response.status, body));
            error.status = response.status;
            throw error;
        }
        return body;
    }

    const time = at => at ? new Date(at).toLocaleTimeString() : '';
    const hasRole = role => me && me.roles.includes(role);
    const shortType = type => (type || '').replace('dev.switchback.', '');

    // ---- model -------------------------------------------------------------------------------------------------

    function newCard(service, environment) {
        return {service, environment, releases: [], queue: [], freezes: [], schedules: [], instances: [],
            analysis: [], analysisOf: null, dora: null, details: {}, errors: {}, problem: null, notice: null, node: null};
    }

    /** The release shown as current: one running, else one waiting, else the newest. */
    function current(card) {
        return card.releases.find(r => RUNNING.includes(r.phase) || (r.phase === 'LIVE' && !r.promotedAt))
            || card.releases.find(r => WAITING.includes(r.phase)) || card.releases[0] || null;
    }

    /** Which version serves users and on which color: green while it bakes with blue warm, blue once promoted. */
    function live(card) {
        const baking = card.releases.find(r => r.phase === 'LIVE' && !r.promotedAt);
        const promoted = card.releases.find(r => r.phase === 'LIVE' && r.promotedAt);
        if (baking) return {release: baking, color: 'green', warm: promoted};
        return promoted ? {release: promoted, color: 'blue'} : null;
    }

    async function load(card) {
        const {service, environment} = card;
        const q = `service=${encodeURIComponent(service)}&environment=${encodeURIComponent(environment)}`;
        const read = async (what, path, then) => {
            try {
                then(await api('GET', path));
                delete card.errors[what];
            } catch (e) {
                card.errors[what] = e.message;
            }
        };
        await Promise.all([
            read('history', `/releases?${q}`, body => card.releases = body),
            read('queue', `/services/${service}/queue`, body => card.queue = body.filter(e => e.environment === environment)),
            read('freezes', `/environments/${environment}/freezes`, body => card.freezes = body),
            read('freezes', `/environments/${environment}/freeze-schedules`, body => card.schedules = body),
            read('instances', `/instances?${q}`, body => card.instances = body),
            loadDora(card),
        ]);
        await loadAnalysis(card);
        render(card);
    }

    /** The judged intervals of the release that goes live or went live last. */
    async function loadAnalysis(card) {
        const release = card.releases.find(r => r.liveAt || r.phase === 'SWITCHING');
        if (!release) return;
        try {
            card.analysis = await api('GET', `/releases/${release.id}/analysis`);
            card.analysisOf = release.id;
            delete card.errors.analysis;
        } catch (e) {
            card.errors.analysis = e.message;
        }
    }

    const refreshing = new Map();

    // The switcher judges an interval every second or so and publishes no event for it: while a release is cut over
    // and not yet promoted, its chart is read again every two seconds.
    setInterval(() => cards.forEach(async card => {
        const release = current(card);
        if (me && release && (release.phase === 'SWITCHING' || (release.phase === 'LIVE' && !release.promotedAt))) {
            await loadAnalysis(card);
            render(card);
        }
    }), 2000);
    // Instances change without an event of their own (a rolled-back green is isolated after the release ended).
    setInterval(() => me && cards.forEach(refreshSoon), 5000);

    /** Reads what the stream does not carry (queue, instances, analysis) again, once per burst of events. */
    function refreshSoon(card) {
        clearTimeout(refreshing.get(card));
        refreshing.set(card, setTimeout(async () => {
            const q = `service=${encodeURIComponent(card.service)}&environment=${encodeURIComponent(card.environment)}`;
            await Promise.all([
                api('GET', `/releases?${q}`).then(b => merge(card, b)).catch(() => {}),
                api('GET', `/services/${card.service}/queue`)
                    .then(b => card.queue = b.filter(e => e.environment === card.environment)).catch(() => {}),
                api('GET', `/instances?${q}`).then(b => {
                    card.instances = b;
                    delete card.errors.instances;
                }).catch(e => card.errors.instances = e.message),
                loadAnalysis(card),
                loadDora(card),
            ]);
            render(card);
        }, 300));
    }

    /** The card's DORA figures, read again with the rest after each burst of events: a rollback changes them. */
    async function loadDora(card) {
        const q = `service=${encodeURIComponent(card.service)}&environment=${encodeURIComponent(card.environment)}`;
        try {
            const body = await api('GET', `/metrics/dora?${q}&window=${DORA_WINDOW}`);
            card.dora = body.figures[0] || null;
            delete card.errors.dora;
        } catch (e) {
            card.errors.dora = e.message;
        }
    }

    /** Takes from a REST answer what the stream's status leaves out (who asked, approval) and any history missed. */
    function merge(card, releases) {
        for (const fresh of releases) {
            const known = card.releases.find(r => r.id === fresh.id);
            if (!known) continue;
            Object.assign(known, {requestedBy: fresh.requestedBy, requestedAt: fresh.requestedAt,
                approval: fresh.approval, fix: fresh.fix});
            if ((fresh.steps || []).length > (known.steps || []).length) known.steps = fresh.steps;
        }
    }

    /** Applies one stream event: the release's status after it, the history line it became, and its numbers. */
    function apply(event) {
        const card = cards.get(event.service + '/' + event.environment);
        if (!card || !event.releaseId) return;
        let release = card.releases.find(r => r.id === event.releaseId);
        if (!release && event.release) {
            release = Object.assign({steps: []}, event.release);
            card.releases.unshift(release);
            // A refusal or notice was about an earlier release.
            card.problem = null;
            card.notice = null;
        }
        if (!release) return;
        // An event read before the cards' REST answer may arrive after it: an older status never replaces a newer one.
        if (event.release && !(Date.parse(event.release.updatedAt) < Date.parse(release.updatedAt))) {
            const {liveAt, promotedAt} = release;
            Object.assign(release, event.release);
            release.liveAt = release.liveAt || liveAt;
            release.promotedAt = release.promotedAt || promotedAt;
        }
        const step = event.step;
        if (step && !release.steps.some(s => s.event === step.event && Date.parse(s.at) === Date.parse(step.at))) {
            release.steps.push(step);
        }
        const details = card.details[release.id] || (card.details[release.id] = {});
        const data = event.data || {};
        switch (shortType(event.type)) {
            case 'migration.succeeded': details.migrations = data.outcomes || []; break;
            case 'traffic.canary-step-started': details.canary = data; break;
            case 'traffic.cutover-completed': details.canary = {greenWeight: 100}; break;
            case 'traffic.analysis-failed': details.failed = data.measurement; break;
            case 'traffic.bake-completed': details.bake = data; break;
            default: break;
        }
        render(card);
        refreshSoon(card);
    }

    // ---- stream ------------------------------------------------------------------------------------------------

    function setState(state, text) {
        const node = $('#stream-state');
        node.className = 'state ' + state;
        node.textContent = text;
    }

    async function connect() {
        const controller = new AbortController();
        stream = controller;
        const headers = {Authorization: 'Bearer ' + token, Accept: 'text/event-stream'};
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        try {
            const response = await fetch('/releases/stream', {headers, signal: controller.signal, cache: 'no-store'});
            if (response.status === 401) {
                signOut('the token was refused: ' + problemText(401, await response.json().catch(() => null)));
                return;
            }
            if (!response.ok) throw new Error(problemText(response.status, await response.text()));
            setState('live', 'live');
            retryMillis = 1000;
            // Read once subscribed, so nothing that happens meanwhile falls between the answer and the stream.
            cards.forEach(load);
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
                const {value, done} = await reader.read();
                if (done) break;
                buffer += value.replace(/\r\n?/g, '\n');
                let end;
                while ((end = buffer.indexOf('\n\n')) >= 0) {
                    dispatch(buffer.slice(0, end));
                    buffer = buffer.slice(end + 2);
                }
            }
        } catch (e) {
            if (controller.signal.aborted) return;
            console.warn('stream', e);
        }
        if (controller.signal.aborted) return;
        // Resumes with Last-Event-ID (the replica replays what it kept); the cards are read again once it answers.
        setState('retrying', `reconnecting in ${retryMillis / 1000} s`);
        setTimeout(() => {
            if (stream === controller) connect();
        }, retryMillis);
        retryMillis = Math.min(retryMillis * 2, 15000);
    }

    function dispatch(block) {
        let id = null;
        let data = null;
        for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') id = value;
            else if (field === 'data') data = data === null ? value : data + '\n' + value;
        }
        if (id) lastEventId = id;
        if (data === null) return;
        try {
            apply(JSON.parse(data));
        } catch (e) {
            console.warn('stream event', e, data);
        }
    }

    // ---- actions -----------------------------------------------------------------------------------------------

    async function act(card, release, action) {
        card.problem = null;
        card.notice = null;
        try {
            await api('POST', `/releases/${release.id}/${action}`);
            card.notice = `${action} of ${release.version} asked for`;
        } catch (e) {
            card.problem = `${action} refused: ${e.message}`;
        }
        render(card);
    }

    function buttons(card, release) {
        const allowed = ACTIONS.filter(a => hasRole(a.role) && a.phases.includes(release.phase));
        if (!allowed.length) return null;
        return el('div', {class: 'actions'}, allowed.map(a => el('button', {
            type: 'button', 'data-action': a.name, 'data-release': release.id, onclick: () => act(card, release, a.name),
        }, a.name)));
    }

    // ---- rendering ---------------------------------------------------------------------------------------------

    function render(card) {
        const node = el('section', {class: 'card', 'data-service': card.service, 'data-environment': card.environment},
            el('h2', {}, `${card.service} · ${card.environment}`),
            renderLive(card),
            renderDora(card),
            card.problem && el('p', {class: 'problem'}, card.problem),
            card.notice && el('p', {class: 'notice muted'}, card.notice),
            el('div', {class: 'grid'}, renderCurrent(card), renderQueue(card), renderHistory(card), renderInstances(card)));
        if (card.node) card.node.replaceWith(node);
        else $('#services').append(node);
        card.node = node;
    }

    function renderLive(card) {
        const now = live(card);
        if (!now) return el('p', {class: 'live muted'}, 'nothing live yet');
        return el('p', {class: 'live'}, 'live: ', el('strong', {class: 'live-version'}, now.release.version), ' on ',
            el('span', {class: 'color ' + now.color}, now.color),
            now.warm ? el('span', {class: 'muted'}, ` · ${now.warm.version} warm on blue`) : null);
    }

    /** The DORA figures of the last DORA_WINDOW, as GET /metrics/dora computes them from the recorded releases. */
    function renderDora(card) {
        if (card.errors.dora) return el('p', {class: 'dora muted'}, card.errors.dora);
        const d = card.dora;
        if (!d) return el('p', {class: 'dora muted'}, 'no cutover in the last 7 days');
        const rate = d.changeFailureRate;
        const median = ds => ds.medianSeconds == null ? 'n/a' : duration(ds.medianSeconds);
        return el('p', {class: 'dora muted'}, `last 7 days: ${d.deploymentFrequency.deployments} deployments `
            + `(${d.deploymentFrequency.perDay.toFixed(2)}/day) · change failure rate `
            + (rate.rate == null ? 'n/a' : `${Math.round(rate.rate * 100)} %`) + ` (${rate.failures} of ${rate.cutovers})`
            + ` · lead time ${median(d.leadTimeForChanges)} · time to restore ${median(d.timeToRestore)}`);
    }

    function duration(seconds) {
        if (seconds < 120) return `${seconds.toFixed(1)} s`;
        if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
        return `${(seconds / 3600).toFixed(1)} h`;
    }

    function renderCurrent(card) {
        const release = current(card);
        if (!release) return el('div', {class: 'panel current'}, el('h3', {}, 'release'), el('p', {class: 'muted'}, 'none yet'));
        const details = card.details[release.id] || {};
        const inProgress = RUNNING.includes(release.phase) || WAITING.includes(release.phase)
            || (release.phase === 'LIVE' && !release.promotedAt);
        const baking = (release.conditions || []).find(c => c.type === 'Baking' && c.status === 'True');
        return el('div', {class: 'panel current', 'data-release': release.id},
            el('h3', {}, inProgress ? 'in progress' : 'last release'),
            el('p', {}, el('strong', {}, release.version), ' ', el('span', {class: 'phase ' + release.phase}, release.phase),
                release.promotedAt ? el('span', {class: 'promoted muted'}, ` · promoted ${time(release.promotedAt)}`) : null,
                release.reason ? el('span', {class: 'reason muted'}, ' · ' + release.reason) : null),
            details.migrations && details.migrations.length ? el('ul', {class: 'migrations'},
                details.migrations.map(m => el('li', {}, `migration ${m.version} ${m.description || ''}: ${m.durationMillis} ms`)))
                : null,
            release.endpoint ? el('p', {class: 'green muted'}, 'green: ' + release.endpoint) : null,
            details.canary ? el('p', {class: 'canary'}, `traffic on green: ${details.canary.greenWeight} %`
                + (details.canary.step ? ` (canary step ${details.canary.step} of ${details.canary.steps})` : '')) : null,
            baking ? el('p', {class: 'baking'}, 'baking: ' + (baking.message || baking.reason)) : null,
            card.analysisOf === release.id && card.analysis.length ? chart(card.analysis) : null,
            card.errors.analysis ? el('p', {class: 'muted'}, 'analysis: ' + card.errors.analysis) : null,
            details.failed ? el('p', {class: 'analysis-failed'}, `analysis failed: ${details.failed.reason}`) : null,
            details.bake ? el('p', {class: 'bake-completed'}, `bake passed: ${details.bake.passedIntervals} interval(s) passed, `
                + `${details.bake.inconclusiveIntervals} inconclusive`) : null,
            buttons(card, release),
            el('ol', {class: 'steps'}, (release.steps || []).map(s => el('li', {'data-event': shortType(s.event)},
                el('span', {class: 'at'}, time(s.at) + ' '), `${shortType(s.event)} → ${s.phase}`,
                s.reason ? el('span', {class: 'muted'}, ': ' + s.reason) : null))));
    }

    /** The judged intervals as bars of requests (colored by verdict) with green's p99 as a line; numbers on hover. */
    function chart(intervals) {
        const shown = intervals.slice(-60);
        const width = 300, height = 70, bar = width / Math.max(shown.length, 20);
        const maxRequests = Math.max(1, ...shown.map(i => i.requests));
        const maxP99 = Math.max(1, ...shown.map(i => i.p99Millis));
        const points = shown.map((i, n) => `${(n + 0.5) * bar},${height - (i.p99Millis / maxP99) * (height - 4)}`).join(' ');
        const last = shown[shown.length - 1];
        return el('figure', {class: 'chart'},
            el('svg:svg', {class: 'analysis', width, height, viewBox: `0 0 ${width} ${height}`, 'data-intervals': intervals.length},
                shown.map((i, n) => el('svg:rect', {class: 'bar ' + i.verdict, x: n * bar + 1, width: Math.max(bar - 2, 1),
                    y: height - (i.requests / maxRequests) * (height - 4), height: (i.requests / maxRequests) * (height - 4)},
                    el('svg:title', {}, `${time(i.at)} ${i.verdict}: ${i.requests} requests, ${i.errors} errors `
                        + `(${(i.errorRate * 100).toFixed(1)} %), p99 ${Math.round(i.p99Millis)} ms`))),
                el('svg:polyline', {class: 'p99', points})),
            el('figcaption', {class: 'muted'}, `${intervals.length} interval(s) judged; last: ${last.verdict}, `
                + `${last.requests} requests, ${(last.errorRate * 100).toFixed(1)} % errors, p99 ${Math.round(last.p99Millis)} ms`
                + ` (max ${Math.round(maxP99)} ms)`));
    }

    function renderQueue(card) {
        const frozen = card.freezes.map(f => el('li', {class: 'freeze'}, `frozen ${f.start} – ${f.end} (${f.zone}): ${f.reason}`))
            .concat(card.schedules.map(s => el('li', {class: 'freeze'},
                `every ${s.days.join(', ')} ${s.from}–${s.to} (${s.zone}): ${s.reason}`)));
        return el('div', {class: 'panel queue'}, el('h3', {}, 'queue and freezes'),
            card.queue.length ? el('ul', {class: 'queue-entries'}, card.queue.map(e => {
                const release = card.releases.find(r => r.id === e.id) || {id: e.id, version: e.version, phase: e.phase};
                return el('li', {}, `${e.version} ${e.phase} since ${time(e.requestedAt)}`,
                    WAITING.includes(e.phase) ? buttons(card, release) : null);
            })) : el('p', {class: 'muted'}, 'nothing waiting'),
            frozen.length ? el('ul', {class: 'freezes'}, frozen) : el('p', {class: 'muted'}, 'no freeze'),
            card.errors.queue ? el('p', {class: 'muted'}, card.errors.queue) : null,
            card.errors.freezes ? el('p', {class: 'muted'}, card.errors.freezes) : null);
    }

    function renderHistory(card) {
        return el('div', {class: 'panel history'}, el('h3', {}, 'recent releases'),
            el('table', {}, el('tr', {}, el('th', {}, 'version'), el('th', {}, 'phase'), el('th', {}, 'by'), el('th', {}, 'changed')),
                card.releases.slice(0, HISTORY_ROWS).map(r => el('tr', {'data-release': r.id},
                    el('td', {}, r.version), el('td', {class: 'phase ' + r.phase}, r.phase + (r.promotedAt ? ' ✓' : '')),
                    el('td', {}, r.requestedBy || ''), el('td', {}, time(r.updatedAt))))),
            card.errors.history ? el('p', {class: 'muted'}, card.errors.history) : null);
    }

    function renderInstances(card) {
        return el('div', {class: 'panel instances'}, el('h3', {}, 'instances'),
            card.errors.instances ? el('p', {class: 'muted'}, card.errors.instances) : el('table', {},
                el('tr', {}, el('th', {}, 'version'), el('th', {}, 'state'), el('th', {}, 'address')),
                card.instances.filter(i => i.state !== 'RETIRED').map(i => el('tr', {'data-instance': i.id, 'data-state': i.state},
                    el('td', {}, i.version), el('td', {class: 'instance-state'}, i.state), el('td', {class: 'muted'}, i.endpoint || '')))));
    }

    // ---- signing in and out ------------------------------------------------------------------------------------

    async function start() {
        try {
            me = await api('GET', '/me');
        } catch (e) {
            signOut(e.status === 401 ? 'the token was refused: ' + e.message : e.message);
            return;
        }
        $('#sign-in-form').hidden = true;
        $('#sign-out').hidden = false;
        $('#who').textContent = `${me.subject} · ${me.roles.join(', ')}`
            + (me.environments ? ` · ${me.environments.join(', ')} only` : '');
        const registered = await api('GET', '/services');
        $('#services').replaceChildren();
        cards.clear();
        for (const r of registered) {
            const card = newCard(r.service, r.environment);
            cards.set(r.service + '/' + r.environment, card);
            render(card);
        }
        connect();
    }

    function signOut(why) {
        if (stream) stream.abort();
        stream = null;
        lastEventId = null;
        token = null;
        me = null;
        sessionStorage.removeItem(TOKEN_KEY);
        cards.clear();
        $('#services').replaceChildren();
        $('#who').textContent = '';
        $('#sign-out').hidden = true;
        $('#sign-in-form').hidden = false;
        setState('off', 'not connected');
        const error = $('#sign-in-error');
        error.hidden = !why;
        error.textContent = why || '';
    }

    $('#sign-in-form').addEventListener('submit', event => {
        event.preventDefault();
        token = $('#token').value.trim();
        $('#token').value = '';
        sessionStorage.setItem(TOKEN_KEY, token);
        start();
    });
    $('#sign-out').addEventListener('click', () => signOut(null));

    if (token) start();
    else signOut(null);
})();
