// Keeps what a citizen typed in localStorage until the complaint is sent, so a dropped
// connection (which reloads the page) or a closed tab loses nothing. Saving happens in the
// browser on every change; the server only hears of the draft once, when the page loads.
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
  template: `<span hidden></span>`,
  props: { storageKey: String, token: String },
  mounted() {
    const draft = store.get(this.storageKey);
    if (draft && draft._token) {
      this.$emit("restore", draft);
    } else {
      store.put(this.storageKey, "_token", this.token);
    }
  },
  methods: {
    clear() {
      store.clear(this.storageKey);
    },
  },
};
