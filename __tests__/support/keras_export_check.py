"""Runs the Keras side of the export tests in one process (importing TensorFlow or JAX is slow).

    KERAS_BACKEND=jax python keras_export_check.py manifest.json > results.json

For each exported model: load it with keras.saving.load_model (after importing the generated module),
predict, re-serialize its config, and take one SGD step on the given batch (the loss, and every
layer's weights afterwards). For each Keras function the registry claims has our semantics: its
signature, and its values (as a function, as its layer, as its keras.ops node) at the given points.
Only raw Keras results are printed; the comparisons are the jest test's.
"""
import inspect
import json
import os
import sys
import time

t0 = time.time()
manifest = json.load(open(sys.argv[1]))
sys.path.insert(0, manifest["python_path"])
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import ops  # noqa: E402

import tfjs_activations_keras  # noqa: E402,F401  (registers the custom objects)

import_seconds = time.time() - t0


def array(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [float(v) for v in a.astype("float64").ravel()]}


def tensor(spec):
    return np.asarray(spec["data"], dtype=spec.get("dtype", "float32")).reshape(spec["shape"])


def plain(v):
    """JSON-comparable form of a config value (tuples as lists)."""
    return json.loads(json.dumps(v, default=lambda o: list(o) if isinstance(o, tuple) else str(o)))


def written_differently(ours, theirs, path, out):
    """Every value we wrote (recursively: only the keys we wrote) that Keras writes differently."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key, value in ours.items():
            if key == "dtype":
                continue
            if key not in theirs:
                out.append(f"{path}.{key}: wrote {json.dumps(value)}, Keras writes nothing")
            else:
                written_differently(value, theirs[key], f"{path}.{key}", out)
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for i, (a, b) in enumerate(zip(ours, theirs)):
            written_differently(a, b, f"{path}[{i}]", out)
    elif ours != theirs:
        out.append(f"{path}: wrote {json.dumps(ours)}, Keras writes {json.dumps(theirs)}")


def config_mismatches(saved, model):
    """What Keras writes differently, for each layer we wrote, after loading the model."""
    theirs = {l["config"]["name"]: l for l in plain(keras.saving.serialize_keras_object(model))["config"]["layers"]}
    out = []
    for entry in saved["config"]["layers"]:
        name = entry["config"]["name"]
        if name not in theirs:
            out.append(f"{name}: missing after loading")
            continue
        written_differently({k: v for k, v in entry.items() if k not in ("inbound_nodes",)}, theirs[name], name, out)
    return out


def check_model(spec):
    import zipfile

    t = time.time()
    saved = json.loads(zipfile.ZipFile(spec["file"]).read("config.json"))
    model = keras.saving.load_model(spec["file"])
    seconds = {"load": time.time() - t}
    xs = [tensor(i) for i in spec["inputs"]]
    x = xs[0] if len(xs) == 1 else xs
    ys = model.predict(x, verbose=0, batch_size=len(xs[0]))
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    seconds["predict"] = time.time() - t - seconds["load"]
    out = {
        "predictions": [array(y) for y in ys],
        "classes": {l.name: type(l).__name__ for l in model.layers},
        "config_mismatches": config_mismatches(saved, model),
    }
    if spec.get("targets") is not None:
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=spec["learning_rate"]), loss="mean_squared_error")
        out["loss"] = float(model.train_on_batch(x, tensor(spec["targets"])))
        out["weights"] = {l.name: [array(w) for w in l.weights] for l in model.layers if l.weights}
    seconds["total"] = time.time() - t
    out["seconds"] = seconds
    return out


def check_function(spec):
    """Keras's function, layer and op for one registry entry, at each case's arguments."""
    fn = keras.activations.get(spec["name"])
    signature = {
        k: (None if p.default is inspect.Parameter.empty else p.default)
        for k, p in inspect.signature(fn).parameters.items()
        if k != "x"
    }
    required = [k for k, p in inspect.signature(fn).parameters.items() if k != "x" and p.default is inspect.Parameter.empty]
    x = np.asarray(spec["x"], dtype="float32")
    cases = []
    op_class = getattr(keras.src.ops.nn, "".join(w.capitalize() for w in spec["name"].split("_")), None)
    for case in spec["cases"]:
        args = case["args"]
        result = {"function": array(fn(x, **args))}
        if spec.get("layer"):
            result["layer"] = array(getattr(keras.layers, spec["layer"])(**case["layer_args"])(x))
        if op_class is not None and case.get("op"):
            result["op"] = array(op_class(**args)(x))
        if spec.get("learned_by") and case.get("learned"):
            layer = getattr(keras.layers, spec["learned_by"])(alpha_initializer=keras.initializers.Constant(case["learned"]))
            result["learned"] = array(layer(x[None, :])[0])
        cases.append(result)
    return {"signature": signature, "required": required, "op_class": op_class is not None, "cases": cases}


def sparsemax_rows(rows):
    x = np.asarray(rows, dtype="float32")
    ours = tfjs_activations_keras.Sparsemax()(x)
    return {"keras": array(keras.activations.sparsemax(x)), "ours": array(ours)}


results = {
    "backend": keras.backend.backend(),
    "keras_version": keras.__version__,
    "import_seconds": import_seconds,
    "models": {m["name"]: check_model(m) for m in manifest["models"] if keras.backend.backend() in m["backends"]},
    "functions": {f["id"]: check_function(f) for f in manifest["functions"]},
    "sparsemax": sparsemax_rows(manifest["sparsemax"]),
}
results["seconds"] = time.time() - t0
json.dump(results, sys.stdout)
