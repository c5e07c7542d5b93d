// The board's queue: one element fed plain rows. The server sends only a changed row
// (`upsert`) or a removal; the order and the countdowns are kept here, with one timer
// for the whole list and no server message per second.
function slaState(c, now) {
  if (!c) return "";
  if (c.outcome === "rejected") return "rejected";
  if (c.stopped) return c.outcome === "met" ? "met" : "late";
  if (now >= c.due) return "breached";
  if (c.due - now < (c.due - c.started) / 4) return "at_risk";
  return "on_track";
}
function span(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, "0");
  return d > 0 ? `${d} hr ${h} j` : `${pad(h)}:${pad(m)}:${pad(s % 60)}`;
}
const STATE_LABELS = { on_track: "aman", at_risk: "berisiko", breached: "terlambat", met: "tepat waktu",
                       late: "terlambat", rejected: "tidak dihitung" };

function order(a, b) {
  const ga = a.sort_due == null ? 1 : 0, gb = b.sort_due == null ? 1 : 0;
  if (ga !== gb) return ga - gb;
  if (ga === 0 && a.sort_due !== b.sort_due) return a.sort_due - b.sort_due;
  return b.updated - a.updated || a.id - b.id;
}

export default {
  template: `
    <div class="lapor-queue">
      <button v-if="outside > 0" type="button" class="lapor-queue-badge" @click="refresh">
        {{ outside }} aduan baru atau berubah di halaman lain, tampilkan
      </button>
      <table>
        <thead><tr><th>Kode</th><th>Aduan</th><th>OPD</th><th>Status</th><th>Batas waktu</th></tr></thead>
        <tbody>
          <tr v-for="row in rows" :key="row.id" :class="['lapor-row-' + state(row), flash[row.id] ? 'lapor-flash' : '']">
            <td><a :href="'/admin/aduan/' + row.code">{{ row.code }}</a></td>
            <td><div class="lapor-queue-title">{{ row.title }}</div>
                <small>{{ row.category }}<span v-if="row.district"> · {{ row.district }}</span> · {{ row.channel_label }}</small></td>
            <td>{{ row.agency || "—" }}</td>
            <td>{{ row.status_label }}</td>
            <td class="lapor-queue-clock">
              <span v-if="row.clock" :class="'lapor-sla-' + state(row)">
                <small>{{ row.clock.label }}</small> {{ clockText(row) }}
              </span>
            </td>
          </tr>
          <tr v-if="!rows.length"><td colspan="5" class="lapor-muted">Tidak ada aduan yang cocok.</td></tr>
        </tbody>
      </table>
      <div class="lapor-row lapor-queue-pager">
        <q-btn flat no-caps label="Sebelumnya" :disable="page <= 0" @click="$emit('turn', -1)" />
        <span>Halaman {{ page + 1 }} dari {{ pageCount }} · {{ count }} aduan</span>
        <q-btn flat no-caps label="Berikutnya" :disable="page + 1 >= pageCount" @click="$emit('turn', 1)" />
      </div>
    </div>`,
  props: { initial: Array, pageSize: Number, page: Number, pages: Number, total: Number, serverNow: Number,
           sound: Boolean },
  data() {
    // count and pageCount follow the total between two full loads (setTotal), which props cannot
    return { rows: [...(this.initial || [])], now: Date.now(), offset: 0, outside: 0, flash: {},
             count: this.total, pageCount: this.pages };
  },
  watch: {
    initial(value) {  // a full load: its total too, even one equal to the last prop sent
      this.rows = [...(value || [])]; this.outside = 0; this.count = this.total; this.pageCount = this.pages;
    },
    serverNow() { this.offset = this.serverNow - Date.now(); },
  },
  mounted() {
    this.offset = (this.serverNow || Date.now()) - Date.now();
    this.timer = setInterval(() => (this.now = Date.now()), 1000);
  },
  unmounted() { clearInterval(this.timer); },
  methods: {
    state(row) { return slaState(row.clock, this.now + this.offset); },
    clockText(row) {
      const st = this.state(row), left = row.clock.due - (this.now + this.offset);
      if (st === "breached") return "lewat " + span(-left);
      if (st === "on_track" || st === "at_risk") return row.clock.paused ? "dijeda" : "sisa " + span(left);
      return STATE_LABELS[st];
    },
    upsert(row, isNew) {
      const i = this.rows.findIndex((r) => r.id === row.id);
      const last = this.rows[this.rows.length - 1];
      const full = this.rows.length >= this.pageSize;
      const fits = i >= 0 || !full || order(row, last) < 0;
      if (!fits || (this.page > 0 && i < 0)) {  // elsewhere: do not move what the admin is reading
        this.outside += 1;
        return;
      }
      if (i >= 0) this.rows.splice(i, 1, row); else this.rows.push(row);
      this.rows.sort(order);
      if (this.rows.length > this.pageSize) this.rows.pop();
      this.flash = { ...this.flash, [row.id]: true };
      setTimeout(() => { const f = { ...this.flash }; delete f[row.id]; this.flash = f; }, 2500);
      if (isNew) {  // the toast comes from here: one message per board and row, not two
        Quasar.Notify.create({ message: `Aduan baru ${row.code}: ${row.title}`, position: "top-right" });
        if (this.sound) this.beep();
      }
    },
    remove(id) { this.rows = this.rows.filter((r) => r.id !== id); },
    setTotal(total, pages) { this.count = total; this.pageCount = pages; },
    refresh() { this.outside = 0; this.$emit("refresh"); },
    beep() {
      try {
        const ctx = new (window.AudioContext || window.webkitAudioContext)();
        const osc = ctx.createOscillator();
        osc.frequency.value = 880; osc.connect(ctx.destination); osc.start(); osc.stop(ctx.currentTime + 0.15);
      } catch (e) {}
    },
  },
};
