// Every SLA countdown's one rule and one text: the tracking page (sla_countdown.js), the board (complaint_queue.js)
// and the wall import this module by its import-map name "sla_clock" (each element lists it in `dependencies`, so
// NiceGUI serves it from /_nicegui/<version>/libraries/, same origin: no network, allowed by the app's CSP).
//
// It decides nothing the server did not say. A clock is {due, at_risk, breached, stopped, outcome, paused}, times in
// milliseconds (services/sla.ClockView.for_browser): the at-risk moment is the server's, from the category's
// calendar (a working-hours clock sent on Friday night is at risk on Monday morning, not on Sunday evening as a
// quarter of wall time would say), and a paused clock has no deadline until it resumes (the server records no
// breach while paused). The words come from the server too (services/complaints_labels.COUNTDOWN_LABELS).

export function clockState(clock, now) {
  if (!clock) return "";
  if (clock.stopped || clock.outcome) return clock.outcome;  // met, late or rejected, as the server recorded it
  if (clock.breached) return "breached";  // recorded, never undone: a later pause or resume does not hide it
  if (clock.paused) return "paused";
  if (now >= clock.due) return "breached";
  if (now >= clock.at_risk) return "at_risk";
  return "on_track";
}

export function clockText(clock, now, labels) {
  const state = clockState(clock, now);
  const left = state === "breached" ? now - (clock.breached || clock.due) : clock.due - now;
  return (labels[state] || "").replace("{span}", span(left, labels));
}

export function span(ms, labels) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return labels.days.replace("{d}", d).replace("{h}", h);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(h)}:${pad(m)}:${pad(s % 60)}`;
}

// The server's time, as `now`, ticking once a second in the browser (never a server message per second). Only the
// phone's clock's pace is used: the offset serverNow - Date.now() is taken when the server's time arrives (first
// render included), so a phone whose clock is days wrong shows what a right one shows.
export const serverTime = {
  props: { serverNow: Number },
  data() {
    return { clientNow: Date.now(), offset: this.serverNow ? this.serverNow - Date.now() : 0 };
  },
  computed: {
    now() { return this.clientNow + this.offset; },
  },
  watch: {
    serverNow() {
      this.clientNow = Date.now();
      this.offset = this.serverNow ? this.serverNow - this.clientNow : 0;
    },
  },
  mounted() { this.ticker = setInterval(() => (this.clientNow = Date.now()), 1000); },
  unmounted() { clearInterval(this.ticker); },
};
