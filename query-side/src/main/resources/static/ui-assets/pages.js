// The history pages' own script: the job timeline (uPlot) and the copy buttons. Text from the service is only
// ever set as textContent, never parsed as HTML.
(function () {
  "use strict";

  const COLOURS = { COMPLETED: "#1a7f37", FAILED: "#c62828", TIMED_OUT: "#b26b00", IN_PROGRESS: "#0969da" };
  const LINES = { restart: "#8250df", upgrade: "#0969da", control: "#1f2328", settings: "#6e7781", register: "#6e7781" };
  const OUTCOMES = Object.keys(COLOURS);
  const REFRESH_MS = 5000;

  // The page must not pass off old numbers as current: when a refresh fails, the header says since when it is stale.
  let staleSince = null;
  function refreshed(ok) {
    const live = document.getElementById("live");
    if (!live) {
      return;
    }
    if (ok) {
      staleSince = null;
      live.className = "live";
      live.textContent = "live · " + new Date().toISOString().substring(11, 19) + " UTC";
    } else {
      staleSince = staleSince || new Date();
      live.className = "live stale";
      live.textContent = "not refreshed since " + staleSince.toISOString().substring(11, 19) + " UTC";
    }
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    refreshed(event.detail.successful);
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.copy");
    if (!button) {
      return;
    }
    const text = button.getAttribute("data-copy");
    const done = function () { button.textContent = "copied"; setTimeout(function () { button.textContent = "copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else { // plain http off localhost: select the location so that Ctrl-C copies it
      const code = button.parentElement.querySelector("code");
      if (code) {
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    }
  });

  function series(data) {
    const xs = data.savepoints.map(function (p) { return p.t; });
    const ys = OUTCOMES.map(function (outcome) {
      return data.savepoints.map(function (p) { return p.outcome === outcome ? p.seconds : null; });
    });
    return [xs].concat(ys);
  }

  function markLines(current) {
    return function (u) {
      const ctx = u.ctx;
      ctx.save();
      current.data.marks.forEach(function (mark) {
        const x = Math.round(u.valToPos(mark.t, "x", true));
        ctx.strokeStyle = LINES[mark.kind] || "#6e7781";
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash(mark.decision === "REJECTED" ? [4, 4] : []);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      });
      ctx.restore();
    };
  }

  function describe(data, index) {
    const p = data.savepoints[index];
    if (!p) {
      return "";
    }
    return new Date(p.t * 1000).toISOString().replace(".000", "") + "  " + p.outcome + "  " + p.reason + " by "
      + p.actor + ", " + p.seconds.toFixed(1) + " s  " + p.triggerId + (p.failureCause ? "  " + p.failureCause : "");
  }

  // One plot per page: a refresh gives it new data (the hover stays where it is).
  function draw(element, data, current) {
    const info = document.getElementById("timeline-info");
    element.setAttribute("data-points", String(data.savepoints.length));
    element.setAttribute("data-marks", String(data.marks.length));
    element.setAttribute("data-failed", String(data.savepoints.filter(function (p) {
      return p.outcome === "FAILED" || p.outcome === "TIMED_OUT"; }).length));
    current.data = data;
    if (current.plot) {
      current.plot.setData(series(data));
      return;
    }
    const options = {
      width: Math.max(320, element.clientWidth - 8),
      height: 240,
      legend: { show: false },
      // the tables say UTC; so does the axis, whatever the browser's time zone
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true, range: function () { return [current.data.from, current.data.to]; } }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.15)]; } } },
      axes: [{ label: "UTC" }, { label: "seconds", size: 50 }],
      series: [{}].concat(OUTCOMES.map(function (outcome) {
        return { label: outcome, stroke: COLOURS[outcome], fill: COLOURS[outcome], width: 0,
          points: { show: true, size: 8, fill: COLOURS[outcome], stroke: COLOURS[outcome] }, paths: function () { return null; } };
      })),
      hooks: {
        draw: [markLines(current)],
        setCursor: [function (u) {
          info.textContent = u.cursor.idx == null ? "" : describe(current.data, u.cursor.idx);
        }]
      }
    };
    current.plot = new uPlot(options, series(data), element);
    info.textContent = data.truncated ? "Only the newest " + data.savepoints.length + " savepoints of the window are drawn." : "";
  }

  function timeline() {
    const element = document.getElementById("timeline");
    if (!element || typeof uPlot === "undefined") {
      return;
    }
    const current = { data: null, plot: null };
    const load = function () {
      fetch(element.getAttribute("data-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { if (!response.ok) { throw new Error("HTTP " + response.status); } return response.json(); })
        .then(function (data) { element.removeAttribute("data-error"); draw(element, data, current); refreshed(true); })
        .catch(function (e) { element.setAttribute("data-error", String(e)); refreshed(false); });
    };
    load();
    setInterval(load, REFRESH_MS);
  }

  document.addEventListener("DOMContentLoaded", timeline);
})();
