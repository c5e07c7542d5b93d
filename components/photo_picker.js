// Picks up to `max` photos, shrinks each in the browser (a 5 MB phone photo travels as a few
// hundred KB), uploads it to `uploadUrl` and reports the server's tokens with a "change" event.
// A photo the browser cannot decode (HEIC on most Android browsers) is sent as it is; the
// server decodes, re-encodes and strips it either way.
const MAX_SIDE = 1600;

async function shrink(file) {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
    return blob && blob.size < file.size ? blob : file;
  } catch (e) {
    return file;
  }
}

export default {
  template: `
    <div class="lapor-photos">
      <strong v-if="title" class="lapor-photos-title">{{ title }}</strong>
      <div class="lapor-photo-list">
        <figure v-for="(item, i) in items" :key="item.token || item.id" class="lapor-photo">
          <img :src="item.url" :alt="'Foto ' + (i + 1)" />
          <figcaption v-if="item.busy">mengunggah…</figcaption>
          <button v-else type="button" class="lapor-photo-remove" :aria-label="'Hapus foto ' + (i + 1)"
                  @click="remove(i)">×</button>
        </figure>
      </div>
      <label v-if="items.length < max" class="lapor-photo-add">
        <input type="file" accept="image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
               multiple @change="picked" data-testid="photo-input" />
        <span>+ Tambah foto ({{ items.length }}/{{ max }})</span>
      </label>
      <div v-if="error || serverError" class="lapor-field-error" role="alert" data-testid="photos-error">
        {{ error || serverError }}</div>
    </div>`,
  props: { uploadUrl: String, max: Number, initial: Array, title: String, serverError: String },
  data() {
    return { items: (this.initial || []).map((x) => ({ ...x })), error: "", nextId: 1 };
  },
  watch: {
    initial(value) {
      this.items = (value || []).map((x) => ({ ...x }));
    },
  },
  methods: {
    tokens() {
      return this.items.filter((x) => x.token).map((x) => x.token);
    },
    report() {
      this.$emit("change", this.tokens());
    },
    remove(i) {
      this.items.splice(i, 1);
      this.report();
    },
    async picked(event) {
      const files = Array.from(event.target.files || []);
      event.target.value = "";
      this.error = "";
      if (this.items.length + files.length > this.max) this.error = `Maksimal ${this.max} foto.`;
      for (const file of files.slice(0, this.max - this.items.length)) {
        const item = { id: "p" + this.nextId++, url: URL.createObjectURL(file), busy: true, token: null };
        this.items.push(item);
        this.upload(item, file);
      }
    },
    async upload(item, file) {
      const blob = await shrink(file);
      try {
        const response = await fetch(this.uploadUrl, {
          method: "POST",
          body: blob,
          headers: { "Content-Type": blob.type || "application/octet-stream" },
        });
        const result = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(result.detail || "Foto gagal diunggah. Silakan coba lagi.");
        const live = this.items.find((x) => x.id === item.id);
        if (live) Object.assign(live, { token: result.token, busy: false });
        this.report();
      } catch (e) {
        this.items = this.items.filter((x) => x.id !== item.id);
        this.error = e.message.startsWith("Failed to fetch") || e.message.includes("NetworkError")
          ? "Koneksi terputus saat mengunggah foto. Silakan coba lagi."
          : e.message;
      }
    },
  },
};
