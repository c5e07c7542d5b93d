// A card: a <section> with its heading, then its children. One element where a section and a heading
// would be two: every element a page builds costs the server time on every visit.
//
// A card can also keep its form's draft in the browser's localStorage (draftKey, token), so a dropped
// connection (which reloads the page) or a closed tab loses nothing of what a citizen typed. Saving
// happens in the browser on every change (window.laporDraft.put, called by each field's listener); the
// server only hears of the draft once, when the page loads ("restore").
const MAX_AGE = 14 * 24 * 3600 * 1000;

const store = {
  get(key) {
    try {
      const draft = JSON.parse(localStorage.getItem(key) || "null");
      if (draft && Date.now() - (draft._saved || 0) < MAX_AGE) return draft;
    } catch (e) {}
    return null;
  },
  put(key, field, value) {
    try {
      const draft = store.get(key) || {};
      draft[field] = value;
      draft._saved = Date.now();
      localStorage.setItem(key, JSON.stringify(draft));
    } catch (e) {} // private mode or full storage: the form still works, only without a draft
  },
  clear(key) {
    try {
      localStorage.removeItem(key);
    } catch (e) {}
  },
};
window.laporDraft = store;

export default {
  template: `
    <section>
      <div v-if="heading" class="lapor-card-heading" v-html="heading"></div>
      <slot></slot>
    </section>`,
  props: { heading: String, draftKey: String, token: String },
  mounted() {
    if (!this.draftKey) return;
    const draft = store.get(this.draftKey);
    if (draft && draft._token) {
      this.$emit("restore", draft);
    } else {
      store.put(this.draftKey, "_token", this.token);
    }
  },
};
