"""The baseline: the same network served the usual tutorial way, a Flask development server
doing the forward pass with numpy, one request at a time per thread.

Reads the committed sample-service/model (model.json, weights.bin, schema.json), so both servers
answer with the same weights. Usage: python3 flask_server.py --port 5000 [--model-dir DIR]
"""

import argparse
import json
import logging
import os

import numpy as np
from flask import Flask, jsonify, request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL_DIR = os.path.join(HERE, "..", "..", "sample-service", "model")


def load_dense_layers(model_dir):
    """Returns [(kernel, bias, activation)] from a tfjs layers model of Dense layers."""
    with open(os.path.join(model_dir, "model.json")) as f:
        model = json.load(f)
    blob = b"".join(
        open(os.path.join(model_dir, path), "rb").read()
        for group in model["weightsManifest"]
        for path in group["paths"]
    )
    tensors, offset = {}, 0
    for group in model["weightsManifest"]:
        for spec in group["weights"]:
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            tensors[spec["name"]] = np.frombuffer(blob, dtype=np.float32, count=count, offset=offset).reshape(spec["shape"])
            offset += 4 * count
    layers = []
    topology = model["modelTopology"]
    for layer in topology.get("model_config", topology)["config"]["layers"]:
        config = layer["config"]
        name = config["name"]
        layers.append((tensors[f"{name}/kernel"], tensors[f"{name}/bias"], config["activation"]))
    return layers


def encode(schema, record):
    """Same encoding as the service: standardised numbers, 0/1 for two levels, else one-hot."""
    row = []
    for feature in schema["features"]:
        value = record[feature["name"]]
        if feature["kind"] == "category":
            levels = feature["categories"]
            if len(levels) == 2:
                row.append(float(levels.index(value)))
            else:
                row.extend(1.0 if level == value else 0.0 for level in levels)
        else:
            row.append((float(value) - feature["mean"]) / feature["std"])
    return np.asarray([row], dtype=np.float32)


def create_app(model_dir):
    with open(os.path.join(model_dir, "schema.json")) as f:
        schema = json.load(f)
    layers = load_dense_layers(model_dir)
    app = Flask(__name__)

    @app.post("/predict")
    def predict():
        x = encode(schema, request.get_json(force=True))
        for kernel, bias, activation in layers:
            x = x @ kernel + bias
            if activation == "relu":
                x = np.maximum(x, 0)
        return jsonify(predictions=[float(x[0, 0])])

    @app.get("/health")
    def health():
        return "ok"

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--model-dir", default=DEFAULT_MODEL_DIR)
    args = parser.parse_args()
    # Per-request access logs off, as on the service, so the comparison is of serving alone.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    create_app(args.model_dir).run(host="127.0.0.1", port=args.port)
