// An SLA clock that ticks in the browser. Times are epoch milliseconds from the server;
// `serverNow` lets a phone with a wrong clock still count right (only the offset is used).
export function slaState(started, due, stopped, outcome, now) {
  if (outcome === "rejected") return "rejected";
  if (stopped) return outcome === "met" ? "met" : "late";
  if (now >= due) return "breached";
  if (due - now < (due - started) / 4) return "at_risk";
  return "on_track";
}

export function slaSpan(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} hari ${h} jam`;
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(h)}:${pad(m)}:${pad(s % 60)}`;
}

export default {
  template: `
    <span class="lapor-sla" :class="'lapor-sla-' + state" role="timer" :aria-label="label + ': ' + text">
      <span class="lapor-sla-label">{{ label }}</span>
      <span class="lapor-sla-text">{{ text }}</span>
    </span>`,
  props: {
    label: String,
    started: Number,
    due: Number,
    stopped: Number,
    outcome: String,
    paused: Boolean,
    serverNow: Number,
  },
  data() {
    return { now: Date.now(), offset: 0 };
  },
  computed: {
    state() {
      return slaState(this.started, this.due, this.stopped, this.outcome, this.now + this.offset);
    },
    text() {
      const left = this.due - (this.now + this.offset);
      switch (this.state) {
        case "met": return "tepat waktu";
        case "late": return "terlambat";
        case "rejected": return "tidak dihitung";
        case "breached": return "lewat " + slaSpan(-left);
        default: return this.paused ? "dijeda" : "sisa " + slaSpan(left);
      }
    },
  },
  watch: {
    serverNow() { this.sync(); },
  },
  mounted() {
    this.sync();
    this.timer = setInterval(() => (this.now = Date.now()), 1000);
  },
  unmounted() {
    clearInterval(this.timer);
  },
  methods: {
    sync() {
      this.offset = this.serverNow ? this.serverNow - Date.now() : 0;
      this.now = Date.now();
    },
  },
};
