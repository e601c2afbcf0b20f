"""A TF.js ``modelTopology`` as one flat, checked graph: Sequential and functional ``Model``, nested.

A Keras model file is a set of Russian dolls: a ``Sequential`` may hold a ``Model`` that holds a
``Sequential``... (a Teachable Machine export is three deep). ``flatten_topology`` opens every doll
and lines the real layers up in the order they compute, each with the names of the layers that
feed it. Every reference is checked on the way: names are unique across the whole file (weights
are found by layer name), every inbound layer exists, and the graph has no cycle.

Nothing here reads weights or builds torch modules; it is pure JSON checking.

Example:
    >>> topology = {"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [None, 3]}}]}}
    >>> [(node.name, node.class_name, node.inputs) for node in flatten_topology(topology).nodes]
    [('d_input', 'InputLayer', []), ('d', 'Dense', ['d_input'])]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._checks import quote
from .._errors import ModelFileError

MAX_LAYERS = 2000  # MobileNetV2 has 155; a sketch model with thousands of layers is a damaged file
MAX_DEPTH = 64  # models inside models; Teachable Machine uses 3
MAX_NAME = 256
CONTAINERS = ("Sequential", "Model", "Functional")


@dataclass
class Node:
    """One real layer: its name, class, config, and the names of the nodes that feed it."""

    name: str
    class_name: str
    config: dict
    inputs: list = field(default_factory=list)


@dataclass
class Graph:
    """The flat graph: nodes in computing order, the input node's name and the output node's name."""

    nodes: list
    input: str
    output: str


def flatten_topology(topology) -> Graph:
    """Check ``topology`` (a model.json ``modelTopology``) and flatten it into a ``Graph``.

    Raises:
        ModelFileError: a topology that is not a model, a bad reference, a cycle, a duplicated name.
    """
    if not isinstance(topology, dict):
        raise ModelFileError("model.json's modelTopology must be an object; this file is not a TF.js Layers model.")
    if isinstance(topology.get("model_config"), dict):  # tensorflowjs_converter wraps it
        topology = topology["model_config"]
    walker = _Walker()
    output = walker.container(topology, None, 0)
    return Graph(walker.nodes, walker.input, output)


class _Walker:
    def __init__(self):
        self.nodes, self.names, self.alias, self.input = [], set(), {}, None

    def container(self, layer: dict, incoming, depth: int) -> str:
        """Flatten one Sequential / Model fed by node ``incoming`` (None: the model's own input)."""
        if depth > MAX_DEPTH:
            raise ModelFileError(f"Models are nested more than {MAX_DEPTH} deep; py5ml stops there. The file is damaged.")
        cls = layer.get("class_name")
        config = layer.get("config")
        if cls == "Sequential":
            return self.sequential(_sequential_layers(config), incoming, depth)
        if cls in ("Model", "Functional"):
            return self.functional(config, incoming, depth)
        raise ModelFileError(
            f"modelTopology is a {quote(cls)}, not a model. py5ml reads TF.js Layers models: "
            "a Sequential or a functional Model (tf.sequential(), tf.model())."
        )

    def sequential(self, layers: list, incoming, depth: int) -> str:
        current = incoming
        for index, layer in enumerate(layers):
            _check_layer(layer, index)
            cls = layer["class_name"]
            if cls in CONTAINERS:
                self.claim(_layer_name(layer, index))
                current = self.container(layer, current, depth + 1)
            elif cls == "InputLayer":
                current = self.input_layer(layer, index, current)
            else:
                if current is None:
                    current = self.implicit_input(layer, index)
                current = self.add(layer, index, [current])
        if current is None:
            raise ModelFileError("A Sequential model has no layers; modelTopology.config.layers must list them.")
        return current

    def functional(self, config, incoming, depth: int) -> str:
        layers = _functional_layers(config)
        entry, exit_ = _only_ref(config, "input_layers"), _only_ref(config, "output_layers")
        by_name = {}
        for index, layer in enumerate(layers):
            _check_layer(layer, index)
            name = _layer_name(layer, index)
            if name in by_name:
                raise ModelFileError(f"Two layers are named {quote(name)}. Layer names must be unique; save the model again.")
            by_name[name] = layer
        if entry not in by_name or by_name[entry]["class_name"] != "InputLayer":
            raise ModelFileError(f"input_layers names {quote(entry)}, which is not an InputLayer of this model.")
        for name in _topological_order(by_name, entry):
            self.functional_layer(by_name[name], name, entry, incoming, depth)
        if exit_ not in by_name:
            raise ModelFileError(f"output_layers names {quote(exit_)}, which is not a layer of this model.")
        return self.alias.get(exit_, exit_)

    def functional_layer(self, layer: dict, name: str, entry: str, incoming, depth: int) -> None:
        cls = layer["class_name"]
        if name == entry:
            self.input_layer(layer, 0, incoming)
            return
        inbound = [self.alias.get(ref, ref) for ref in _inbound(layer, name)]
        if cls in CONTAINERS:
            self.claim(name)
            if len(inbound) != 1:
                raise ModelFileError(f"The nested model {quote(name)} must take exactly one input.")
            self.alias[name] = self.container(layer, inbound[0], depth + 1)
        else:
            self.add(layer, 0, inbound)

    def input_layer(self, layer: dict, index: int, incoming) -> str:
        name = _layer_name(layer, index)
        self.claim(name)
        if incoming is not None:  # a nested model's own input: the outer tensor flows straight in
            self.alias[name] = incoming
            return incoming
        return self.new_input(name, layer["config"])

    def implicit_input(self, layer: dict, index: int) -> str:
        """A Sequential without an InputLayer: its first layer's batch_input_shape is the input."""
        return self.new_input(f"{_layer_name(layer, index)}_input", layer["config"])

    def new_input(self, name: str, config: dict) -> str:
        if self.input is not None:
            raise ModelFileError("This model has more than one input; py5ml reads one-input models.")
        self.input = name
        self.names.add(name)
        self.nodes.append(Node(name, "InputLayer", config, []))
        return name

    def add(self, layer: dict, index: int, inputs: list) -> str:
        name = _layer_name(layer, index)
        self.claim(name)
        self.nodes.append(Node(name, layer["class_name"], layer["config"], inputs))
        return name

    def claim(self, name: str) -> None:
        if name in self.names:
            raise ModelFileError(f"Two layers are named {quote(name)}. Layer names must be unique; save the model again.")
        self.names.add(name)
        if len(self.names) > MAX_LAYERS:
            raise ModelFileError(f"This model has more than {MAX_LAYERS} layers; py5ml reads at most {MAX_LAYERS}.")


def _sequential_layers(config) -> list:
    layers = config.get("layers") if isinstance(config, dict) else config  # old Keras: config is the list
    if not isinstance(layers, list) or not layers:
        raise ModelFileError("modelTopology.config.layers must be a non-empty list of layers.")
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(f"This model has {len(layers)} layers; py5ml reads at most {MAX_LAYERS}.")
    return layers


def _functional_layers(config) -> list:
    if not isinstance(config, dict):
        raise ModelFileError("A functional Model needs a config object with layers, input_layers and output_layers.")
    return _sequential_layers(config)


def _check_layer(layer, index: int) -> None:
    if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict) or not isinstance(layer.get("class_name"), str):
        raise ModelFileError(f"Layer {index} must be an object with class_name and a config object.")


def _layer_name(layer: dict, index: int) -> str:
    name = layer.get("name", layer["config"].get("name", f"layer_{index}"))
    if not isinstance(name, str) or not name or len(name) > MAX_NAME or any(ord(c) < 32 for c in name):
        raise ModelFileError(f"Layer {index}'s name must be a short string, not {quote(name)}.")
    return name


def _only_ref(config: dict, key: str) -> str:
    refs = config.get(key)
    if not isinstance(refs, list) or not refs:
        raise ModelFileError(f"A functional Model needs {key}, like [['input_1', 0, 0]].")
    if len(refs) != 1:
        raise ModelFileError(f"This model has {len(refs)} {key}; py5ml reads models with one input and one output.")
    return _ref_name(refs[0], key)


def _ref_name(ref, where: str) -> str:
    """The layer a reference ``[name, node_index, tensor_index, kwargs]`` names (indices checked later)."""
    if not isinstance(ref, list) or len(ref) not in (3, 4) or not isinstance(ref[0], str):
        raise ModelFileError(f"{where} must list references like ['dense_1', 0, 0], not {quote(ref)}.")
    if type(ref[1]) is not int or type(ref[2]) is not int or ref[1] < 0 or ref[2] != 0:
        raise ModelFileError(f"{where} uses {quote(ref)}: py5ml reads layers with one output, referenced as [name, 0, 0].")
    return ref[0]


def _check_call(ref, by_name: dict, user: str) -> None:
    """A plain layer is called once here (node 0); a nested model's call here is node 1 (node 0 is its own)."""
    limit = 1 if by_name[ref[0]]["class_name"] in CONTAINERS else 0
    if ref[1] > limit:
        raise ModelFileError(
            f"Layer {quote(user)} uses {quote(ref)}: a layer called more than once (a shared layer), which py5ml cannot read."
        )


def _inbound_refs(layer: dict, name: str) -> list:
    nodes = layer.get("inbound_nodes")
    if isinstance(nodes, list) and len(nodes) > 1:
        raise ModelFileError(f"Layer {quote(name)} is called {len(nodes)} times (a shared layer), which py5ml cannot read.")
    if not isinstance(nodes, list) or len(nodes) != 1 or not isinstance(nodes[0], list) or not nodes[0]:
        raise ModelFileError(f"Layer {quote(name)} needs inbound_nodes like [[['input_1', 0, 0, {{}}]]].")
    for ref in nodes[0]:
        _ref_name(ref, f"Layer {quote(name)}'s inbound_nodes")
    return nodes[0]


def _inbound(layer: dict, name: str) -> list:
    return [ref[0] for ref in _inbound_refs(layer, name)]


def _topological_order(by_name: dict, entry: str) -> list:
    """Layer names so that every layer comes after its inputs; unknown inputs and cycles are refused."""
    needs, users = _wiring(by_name, entry)
    order, ready = [], [name for name, wanted in needs.items() if not wanted]
    while ready:
        name = ready.pop()
        order.append(name)
        for user in users[name]:
            needs[user].discard(name)
            if not needs[user]:
                ready.append(user)
    if len(order) != len(by_name):
        raise ModelFileError(
            f"The layers {quote(_cycle(set(by_name) - set(order), users))} feed each other in a cycle; "
            "a model must be a graph without cycles."
        )
    return order


def _wiring(by_name: dict, entry: str):
    """``(needs, users)``: the layers each layer reads, and the layers that read each one."""
    needs, users = {}, {name: [] for name in by_name}
    for name, layer in by_name.items():
        if name != entry and layer["class_name"] == "InputLayer":
            raise ModelFileError(f"InputLayer {quote(name)} is a second input; py5ml reads one-input models.")
        refs = [] if name == entry else _inbound_refs(layer, name)
        for ref in refs:
            if ref[0] not in by_name:
                raise ModelFileError(f"Layer {quote(name)} takes its input from {quote(ref[0])}, which is not a layer of this model.")
            _check_call(ref, by_name, name)
        needs[name] = {ref[0] for ref in refs}
        for ref in needs[name]:
            users[ref].append(name)
    return needs, users


def _cycle(stuck: set, users: dict) -> list:
    """The stuck layers that are on a cycle: drop the ones that only wait downstream of it."""
    changed = True
    while changed:
        sinks = {name for name in stuck if not any(user in stuck for user in users[name])}
        stuck, changed = stuck - sinks, bool(sinks)
    return sorted(stuck)
