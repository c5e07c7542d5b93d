// The board's queue: one element fed plain rows. The server sends only a changed row
// (`upsert`) or a removal; the order and the countdowns are kept here, with one timer
// for the whole list and no server message per second. Each row's countdown is sla_clock.js's.
import { clockState, clockText, serverTime } from "sla_clock";

function order(a, b) {
  const ga = a.sort_due == null ? 1 : 0, gb = b.sort_due == null ? 1 : 0;
  if (ga !== gb) return ga - gb;
  if (ga === 0 && a.sort_due !== b.sort_due) return a.sort_due - b.sort_due;
  return b.updated - a.updated || a.id - b.id;
}

export default {
  mixins: [serverTime],
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
                <small>{{ row.clock.label }}</small> {{ text(row) }}
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
  props: { initial: Array, pageSize: Number, page: Number, pages: Number, total: Number, labels: Object,
           sound: Boolean },
  data() {
    // count and pageCount follow the total between two full loads (setTotal), which props cannot
    return { rows: [...(this.initial || [])], outside: 0, flash: {},
             count: this.total, pageCount: this.pages };
  },
  watch: {
    initial(value) {  // a full load: its total too, even one equal to the last prop sent
      this.rows = [...(value || [])]; this.outside = 0; this.count = this.total; this.pageCount = this.pages;
    },
  },
  methods: {
    state(row) { return clockState(row.clock, this.now); },
    text(row) { return clockText(row.clock, this.now, this.labels); },
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
