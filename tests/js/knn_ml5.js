// Usage: node knn_ml5.js <spec.json> <out_folder>
// ml5 0.x's KNNClassifier, rebuilt on real TF.js for py5ml's tests (not ml5's code, the same steps):
// - spec.examples + spec.labels: add each example as ml5 does (text labels get class indices in the
//   order they first appear; examples are scaled to length 1 and stacked per class), then save the
//   way ml5's save() does: JSON.stringify({dataset, tensors}) of the kept tensors -> out/ml5_knn.json
// - spec.load: instead read a KNN file the way ml5's load() rebuilds its tensors.
// Either way, classify spec.queries with k = spec.k (cosine similarity, top-k vote) -> out/results.json
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function unit(vector) {
  return tf.tidy(() => tf.div(vector, tf.norm(vector)));
}

function build(examples, labels) {
  const names = [];
  const classes = {};
  examples.forEach((example, i) => {
    const label = labels[i];
    let index = names.indexOf(label);
    if (index < 0) index = names.push(label) - 1;
    const row = unit(tf.tensor1d(example)).reshape([1, example.length]);
    classes[index] = classes[index] ? tf.concat([classes[index], row], 0) : row;
  });
  Object.keys(classes).forEach((key) => tf.keep(classes[key]));
  return { names, classes };
}

function saveLikeMl5(classes, names, file) {
  const dataset = {};
  Object.keys(classes).forEach((key) => {
    dataset[key] = classes[key];
    if (names[key]) dataset[key].label = names[key];
  });
  const tensors = Object.keys(dataset).map((key) => dataset[key].dataSync());
  fs.writeFileSync(file, JSON.stringify({ dataset, tensors }));
}

function loadLikeMl5(file) {
  const { dataset, tensors } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const names = Object.keys(dataset).map((key) => dataset[key].label);
  const classes = {};
  tensors.forEach((values, j) => {
    const flat = Object.keys(values).map((key) => values[key]);
    classes[j] = tf.tensor(flat, dataset[j].shape, dataset[j].dtype);
  });
  return { names, classes };
}

function classify(classes, names, query, k) {
  const keys = Object.keys(classes).map(Number).sort((a, b) => a - b);
  const owner = [];
  keys.forEach((key) => { for (let i = 0; i < classes[key].shape[0]; i++) owner.push(key); });
  const matrix = tf.concat(keys.map((key) => classes[key]), 0);
  const q = unit(tf.tensor1d(query));
  const similarity = matrix.matMul(q.reshape([query.length, 1])).reshape([owner.length]);
  const kVal = Math.min(k, owner.length);
  const nearest = tf.topk(similarity, kVal).indices.arraySync();
  const confidences = {};
  keys.forEach((key) => { confidences[key] = 0; });
  nearest.forEach((i) => { confidences[owner[i]] += 1 / kVal; });
  let best = -1;
  let top = 0;
  keys.forEach((key) => { if (confidences[key] > top) { top = confidences[key]; best = key; } });
  return { classIndex: best, label: names[best] || String(best), confidences };
}

function main() {
  const [specPath, outDir] = process.argv.slice(2);
  const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
  fs.mkdirSync(outDir, { recursive: true });
  let model;
  if (spec.load) {
    model = loadLikeMl5(spec.load);
  } else {
    model = build(spec.examples, spec.labels);
    saveLikeMl5(model.classes, model.names, path.join(outDir, 'ml5_knn.json'));
  }
  const results = spec.queries.map((query) => classify(model.classes, model.names, query, spec.k));
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(results));
}

main();
