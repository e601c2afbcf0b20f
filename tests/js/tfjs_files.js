// Read and write TF.js Layers files (model.json + .weights.bin) on disk with real TF.js in node.
// The pure-JS CPU backend has no file:// handler, so these are the small IOHandlers a browser's
// http/browserFiles loaders would be: the loader follows weightsManifest paths beside model.json.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function fileLoader(jsonPath) {
  return {
    load: async () => {
      const modelJSON = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs = [];
        const buffers = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = fs.readFileSync(path.join(path.dirname(jsonPath), p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

async function loadModel(jsonPath) {
  return tf.loadLayersModel(fileLoader(jsonPath));
}

// Save like ml5 / model.save(): model.json + <name>.weights.bin (with the model's user-defined
// metadata, as TF.js's own save handlers write it), plus optional extra JSON keys.
async function saveModel(model, dir, name = 'model', extra = {}) {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const json = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [`./${name}.weights.bin`], weights: artifacts.weightSpecs }],
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      ...extra,
    };
    fs.writeFileSync(path.join(dir, `${name}.weights.bin`), Buffer.from(artifacts.weightData));
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}

module.exports = { tf, loadModel, saveModel };
