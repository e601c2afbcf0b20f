// The TF.js Color Classifier lesson (7.11) exactly, in node: the reference py5ml is compared with.
// Usage: node train_color.js <colorData.json> [epochs]
// Prints one JSON line: final val_acc / val_loss and the accuracy on all rows.
const fs = require('fs');
const tf = require('@tensorflow/tfjs');

const LABELS = ['red-ish', 'green-ish', 'blue-ish', 'orange-ish', 'yellow-ish',
  'pink-ish', 'purple-ish', 'brown-ish', 'grey-ish'];

async function main() {
  const [dataPath, epochsArg] = process.argv.slice(2);
  const entries = JSON.parse(fs.readFileSync(dataPath, 'utf8')).entries;
  const xs = tf.tensor2d(entries.map((e) => [e.r / 255, e.g / 255, e.b / 255]));
  const ys = tf.oneHot(tf.tensor1d(entries.map((e) => LABELS.indexOf(e.label)), 'int32'), 9).toFloat();

  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, activation: 'sigmoid', inputShape: [3] }));
  model.add(tf.layers.dense({ units: 9, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.25), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const start = Date.now();
  const history = await model.fit(xs, ys, { shuffle: true, validationSplit: 0.1, epochs: Number(epochsArg || 10) });
  const last = (key) => history.history[key][history.history[key].length - 1];
  const predicted = model.predict(xs).argMax(1);
  const allAcc = predicted.equal(ys.argMax(1)).toFloat().mean().dataSync()[0];
  console.log(JSON.stringify({ val_acc: last('val_acc'), val_loss: last('val_loss'), all_rows_acc: allAcc,
    seconds: (Date.now() - start) / 1000 }));
}

main().catch((error) => { console.error(error); process.exit(1); });
