// One SLA clock that ticks in the browser; the rule, the text and the server's time are sla_clock.js's.
import { clockState, clockText, serverTime } from "sla_clock";

export default {
  mixins: [serverTime],
  template: `
    <span class="lapor-sla" :class="'lapor-sla-' + state" role="timer" :aria-label="label + ': ' + text">
      <span class="lapor-sla-label">{{ label }}</span>
      <span class="lapor-sla-text">{{ text }}</span>
    </span>`,
  props: { label: String, clock: Object, labels: Object },
  computed: {
    state() { return clockState(this.clock, this.now); },
    text() { return clockText(this.clock, this.now, this.labels); },
  },
};
