// A complaint's timeline as one element fed plain rows (a busy complaint stays one element).
export default {
  template: `
    <div>
    <h2 v-if="heading">{{ heading }}</h2>
    <ol class="lapor-timeline">
      <li v-for="row in rows" :key="row.id" :class="{ 'lapor-internal': row.internal }">
        <div class="lapor-timeline-head">
          <strong>{{ row.label }}</strong>
          <time>{{ row.when }}</time>
        </div>
        <div v-if="row.actor" class="lapor-timeline-actor">{{ row.actor }}</div>
        <p v-if="row.message" class="lapor-timeline-message">{{ row.message }}</p>
        <div v-if="row.photos && row.photos.length" class="lapor-photo-list">
          <a v-for="(url, i) in row.photos" :key="url" :href="url" target="_blank" class="lapor-photo">
            <img :src="url" :alt="'Foto ' + (i + 1)" loading="lazy" />
          </a>
        </div>
      </li>
      <li v-if="!rows.length" class="lapor-muted">{{ empty }}</li>
    </ol>
    </div>`,
  props: { rows: Array, empty: String, heading: String },
};
