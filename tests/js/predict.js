// Usage: node predict.js <model.json> <inputs.json> <result.json>
// Loads a Layers model with real TF.js and writes JSON: outputs, layers and user metadata.
const fs = require('fs');
const { tf, loadModel } = require('./tfjs_files');

async function main() {
  const [jsonPath, inputsPath, resultPath] = process.argv.slice(2);
  const model = await loadModel(jsonPath);
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  const outputs = model.predict(tf.tensor(inputs)).arraySync();
  const layers = model.layers.map((layer) => ({
    className: layer.getClassName(),
    name: layer.name,
    inputShape: layer.batchInputShape || null,
    outputShape: layer.outputShape,
    activation: layer.activation ? layer.activation.getClassName() : null,
  }));
  const result = { outputs, layers, inputShape: model.inputs[0].shape, metadata: model.getUserDefinedMetadata() || null };
  fs.writeFileSync(resultPath, JSON.stringify(result));
}

main().catch((error) => { console.error(error); process.exit(1); });
