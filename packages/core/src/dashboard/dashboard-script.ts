// The dashboard page's script, inlined into the page: reads the event stream and draws the breakers.

/**
 * The page's JavaScript (ES2017, no dependencies). It opens `?events` on the page's own path, keeps
 * one view per breaker and updates it in place; every name is set as text, never as markup.
 */
export const DASHBOARD_SCRIPT: string = String.raw`
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('bw-config').textContent);
  var STATES = ['closed', 'open', 'half-open', 'forced-open', 'disabled'];
  var RATE_WINDOW = 5000, MAX_TRANSITIONS = 50, KEYS_SHOWN = 12;
  var entries = new Map(); // name -> { data, samples, view }
  var families = new Map(); // family name -> { el, ... }
  var transitions = [];
  var offset = 0;
  var $ = function (id) { return document.getElementById(id); };

  function h(tag, props, children) {
    var el = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      var v = props[k];
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v);
    });
    (children || []).forEach(function (c) {
      if (c != null) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }
  function serverNow() { return Date.now() + offset; }
  function calls(b) { var t = b.totals; return t.success + t.failure + t.timeout + t.ignored; }
  function fixed(x) { return x >= 100 || Number.isInteger(x) ? String(Math.round(x)) : x.toFixed(1); }
  function seconds(ms) { return ms >= 10000 ? Math.ceil(ms / 1000) + ' s' : (ms / 1000).toFixed(1) + ' s'; }
  function ago(at) {
    var s = Math.max(0, Math.round((serverNow() - at) / 1000));
    return s < 60 ? s + ' s ago' : s < 3600 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  }
  function clock(at) { return new Date(at - offset).toLocaleTimeString([], { hour12: false }); }

  // Calls and rejections per second over the last few seconds, from the lifetime totals.
  function rates(entry) {
    var s = entry.samples, t = serverNow(), from = t - RATE_WINDOW, base = s[0];
    for (var i = 0; i < s.length; i++) if (s[i][0] <= from) base = s[i];
    var last = s[s.length - 1];
    var dt = Math.max(1000, Math.min(RATE_WINDOW, t - base[0])) / 1000;
    return { calls: (last[1] - base[1]) / dt, rejected: (last[2] - base[2]) / dt };
  }

  function meter(label) {
    var fill = h('div', { class: 'fill' }), mark = h('div', { class: 'mark' });
    var text = h('span'), limit = h('span');
    var el = h('div', { class: 'meter' }, [
      h('div', { class: 'meter-label' }, [h('span', { text: label }), limit]),
      h('div', { class: 'bar', title: label }, [fill, mark]), text,
    ]);
    text.className = 'stats';
    return {
      el: el,
      set: function (value, threshold, caption) {
        fill.style.width = Math.min(100, value) + '%';
        mark.style.display = threshold == null ? 'none' : 'block';
        if (threshold != null) mark.style.left = 'calc(' + threshold + '% - 1px)';
        limit.textContent = threshold == null ? '' : 'trips at ' + fixed(threshold) + '%';
        text.textContent = caption;
      },
    };
  }

  function act(name, action) {
    var url = config.adminPath + '/breakers/' + encodeURIComponent(name) + '/' + action;
    fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'X-Breakwater-Dashboard': '1' } })
      .then(function (r) { toast(action + ' ' + name + ': ' + r.status + (r.ok ? '' : ' ' + r.statusText)); })
      .catch(function (e) { toast(action + ' ' + name + ' failed: ' + e.message); });
  }
  function toast(message) {
    var el = $('toast');
    el.textContent = message;
    el.style.display = 'block';
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { el.style.display = 'none'; }, 4000);
  }

  function view(name, compact) {
    var badge = h('span', { class: 'badge' });
    var failure = meter('failure rate'), slow = meter('slow calls');
    var stats = h('div', { class: 'stats' }), countdown = h('div', { class: 'countdown' });
    var last = h('div', { class: 'stats' });
    var actions = null;
    if (config.adminPath != null) {
      actions = h('div', { class: 'actions' }, ['force-open', 'reset', 'disable'].map(function (a) {
        return h('button', { type: 'button', 'data-action': a, text: a, onclick: function () { act(name, a); } });
      }));
    }
    var label = h('span', { class: 'name', title: name });
    var el = compact
      ? h('div', { class: 'row', 'data-breaker': name }, [label, badge, failure.el, h('div', {}, [stats, countdown]), actions])
      : h('div', { class: 'card', 'data-breaker': name }, [
          h('div', { class: 'head' }, [label, badge]), failure.el, slow.el, stats, countdown, last, actions,
        ]);
    return {
      el: el,
      update: function (entry) {
        var b = entry.data, th = b.thresholds, w = b.window, r = rates(entry);
        el.setAttribute('data-state', b.state);
        label.textContent = compact && b.key != null ? b.key : name;
        badge.textContent = b.state;
        var failCaption = w.failures + ' of ' + w.calls + ' calls in the window failed' +
          (w.calls < th.minimumCalls ? ' (rates count from ' + th.minimumCalls + ')' : '');
        if (th.failureThreshold != null) failCaption += '; opens after ' + th.failureThreshold + ' in a row';
        failure.set(w.failureRate, th.failureRateThreshold, fixed(w.failureRate) + '% · ' + failCaption);
        slow.el.style.display = th.slowCallDurationThreshold == null ? 'none' : '';
        if (th.slowCallDurationThreshold != null) {
          slow.set(w.slowCallRate, th.slowCallRateThreshold, fixed(w.slowCallRate) + '% slower than ' + th.slowCallDurationThreshold + ' ms');
        }
        stats.textContent = fixed(r.calls) + ' calls/s · ' + fixed(r.rejected) + ' rejected/s · ' + b.inFlight + ' in flight';
        var text = '';
        if (b.state === 'open' && b.reopenAt != null) {
          var left = b.reopenAt - serverNow();
          text = left > 0 ? 'admits a probe in ' + seconds(left) : 'probe due';
        } else if (b.state === 'half-open') {
          text = b.halfOpen.probesInFlight + '/' + th.halfOpenMaxCalls + ' probes in flight, ' +
            b.halfOpen.successes + '/' + th.successThreshold + ' succeeded';
        } else if (b.state === 'forced-open') text = 'held open by an operator';
        countdown.textContent = text;
        var lt = b.lastTransition;
        last.textContent = lt ? lt.from + ' → ' + lt.to + ' ' + ago(lt.at) + ' (' + lt.reason + ')' : 'no transition yet';
      },
    };
  }

  function entryFor(b, at) {
    var entry = entries.get(b.name);
    if (!entry) { entry = { data: b, samples: [] }; entries.set(b.name, entry); }
    entry.data = b;
    entry.samples.push([at, calls(b), b.totals.rejected]);
    var cut = at - 2 * RATE_WINDOW;
    while (entry.samples.length > 2 && entry.samples[1][0] < cut) entry.samples.shift();
    return entry;
  }
  function forget(name) {
    var entry = entries.get(name);
    if (!entry) return;
    if (entry.view) entry.view.el.remove();
    entries.delete(name);
  }

  function familyView(name) {
    var counts = h('span', { class: 'stats' }), rate = h('span', { class: 'stats' });
    var list = h('div'), more = h('div', { class: 'more' });
    var el = h('details', { class: 'family', 'data-family': name }, [
      h('summary', {}, [h('span', { class: 'name', text: name }), counts, rate]), list, more,
    ]);
    return { el: el, counts: counts, rate: rate, list: list, more: more };
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  }

  function render() {
    var perState = {}, groups = new Map(), standalone = [];
    STATES.forEach(function (s) { perState[s] = 0; });
    entries.forEach(function (entry) {
      perState[entry.data.state]++;
      var f = entry.data.family;
      if (f == null) standalone.push(entry);
      else { if (!groups.has(f)) groups.set(f, []); groups.get(f).push(entry); }
    });
    var summary = $('summary');
    summary.textContent = '';
    summary.appendChild(h('span', { class: 'chip' }, [h('b', { text: String(entries.size) }), ' breakers']));
    STATES.forEach(function (s) {
      if (perState[s] > 0 || s === 'closed' || s === 'open')
        summary.appendChild(h('span', { class: 'chip', 'data-state': s }, [h('b', { text: String(perState[s]) }), ' ' + s]));
    });

    var grid = $('breakers');
    standalone.sort(function (a, b) { return a.data.name < b.data.name ? -1 : 1; });
    standalone.forEach(function (entry) {
      if (!entry.view || entry.view.compact) { if (entry.view) entry.view.el.remove(); entry.view = view(entry.data.name, false); }
      entry.view.update(entry);
      grid.appendChild(entry.view.el);
    });
    $('no-breakers').style.display = standalone.length === 0 ? '' : 'none';

    var box = $('families');
    families.forEach(function (fv, name) { if (!groups.has(name)) { fv.el.remove(); families.delete(name); } });
    Array.from(groups.keys()).sort().forEach(function (name) {
      var members = groups.get(name), fv = families.get(name);
      if (!fv) { fv = familyView(name); families.set(name, fv); }
      box.appendChild(fv.el);
      var c = {}, callRate = 0, rejectRate = 0, wc = 0, wf = 0;
      members.forEach(function (e) {
        c[e.data.state] = (c[e.data.state] || 0) + 1;
        var r = rates(e); callRate += r.calls; rejectRate += r.rejected;
        wc += e.data.window.calls; wf += e.data.window.failures;
      });
      fv.el.setAttribute('data-state', c.open || c['forced-open'] ? 'open' : c['half-open'] ? 'half-open' : 'closed');
      fv.counts.textContent = members.length + ' keys: ' + STATES.filter(function (s) { return c[s]; })
        .map(function (s) { return c[s] + ' ' + s; }).join(', ');
      fv.rate.textContent = fixed(callRate) + ' calls/s · ' + fixed(rejectRate) + ' rejected/s · ' +
        (wc ? fixed(wf * 100 / wc) : '0') + '% failed in the windows';
      var order = { open: 0, 'forced-open': 1, 'half-open': 2, disabled: 3, closed: 4 };
      members.sort(function (a, b) {
        return order[a.data.state] - order[b.data.state] || rates(b).calls - rates(a).calls ||
          (a.data.name < b.data.name ? -1 : 1);
      });
      members.forEach(function (entry, i) {
        if (i >= KEYS_SHOWN) { if (entry.view) { entry.view.el.remove(); entry.view = null; } return; }
        if (!entry.view || !entry.view.compact) { if (entry.view) entry.view.el.remove(); entry.view = view(entry.data.name, true); entry.view.compact = true; }
        entry.view.update(entry);
        fv.list.appendChild(entry.view.el);
      });
      fv.more.textContent = members.length > KEYS_SHOWN ? 'and ' + (members.length - KEYS_SHOWN) + ' more keys (busiest and non-closed shown first)' : '';
      fv.more.style.display = members.length > KEYS_SHOWN ? '' : 'none';
    });
    $('no-families').style.display = groups.size === 0 ? '' : 'none';

    var ol = $('transitions');
    ol.textContent = '';
    transitions.forEach(function (t) {
      ol.appendChild(h('li', { 'data-breaker': t.breaker }, [
        h('span', { class: 'muted', text: clock(t.at) }),
        h('span', { class: 'name', text: t.breaker }),
        h('span', {}, [h('span', { class: 'badge', 'data-state': t.from, text: t.from }), ' → ',
          h('span', { class: 'badge', 'data-state': t.to, text: t.to })]),
        h('span', { class: 'muted', text: t.reason }),
      ]));
    });
    $('no-transitions').style.display = transitions.length === 0 ? '' : 'none';
  }

  function noteTransition(t) {
    transitions.unshift(t);
    if (transitions.length > MAX_TRANSITIONS) transitions.length = MAX_TRANSITIONS;
  }

  var status = $('status');
  function setStatus(state, text) { status.setAttribute('data-state', state); status.textContent = text; }
  var source = new EventSource(location.pathname + '?events');
  source.addEventListener('open', function () { setStatus('live', 'live'); });
  source.addEventListener('error', function () {
    setStatus(source.readyState === 2 ? 'down' : 'connecting', source.readyState === 2 ? 'disconnected (refused or too many pages open); reload to retry' : 'reconnecting…');
  });
  source.addEventListener('snapshot', function (e) {
    var data = JSON.parse(e.data);
    offset = data.at - Date.now();
    var seen = new Set();
    data.breakers.forEach(function (b) { seen.add(b.name); entryFor(b, data.at); });
    Array.from(entries.keys()).forEach(function (name) { if (!seen.has(name)) forget(name); });
    data.breakers.forEach(function (b) {
      var lt = b.lastTransition;
      if (lt && transitions.length < MAX_TRANSITIONS && !transitions.some(function (t) { return t.breaker === b.name && t.at === lt.at; }))
        transitions.push({ breaker: b.name, from: lt.from, to: lt.to, reason: lt.reason, at: lt.at });
    });
    transitions.sort(function (a, b) { return b.at - a.at; });
    document.body.setAttribute('data-ready', 'true');
    schedule();
  });
  source.addEventListener('update', function (e) {
    var data = JSON.parse(e.data);
    data.breakers.forEach(function (b) { entryFor(b, data.at); });
    data.removed.forEach(forget);
    schedule();
  });
  source.addEventListener('transition', function (e) {
    var data = JSON.parse(e.data), t = data.transition;
    noteTransition({ breaker: t.breaker, from: t.from, to: t.to, reason: t.reason, at: t.at });
    if (data.breaker) entryFor(data.breaker, data.at);
    schedule();
  });
  setInterval(schedule, 1000);
})();
`;
