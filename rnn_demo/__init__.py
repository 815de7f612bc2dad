"""Teaching code for "why word-by-word translation fails, and how an encoder-decoder RNN helps".

The package is in layers, each importing only the layers below it:

    core      text, model, translate, trace, lexicon, evaluate, hidden space
    data      the phrasebook grammar, sentence pairs, uploads, vocabulary bounds
    training  configs, the loop, checkpoints, the shared registry, the worker process
    figures   Plotly figures from plain data          lessons   what a page measures or explains
    app       the only package that imports Streamlit: resources, session, widgets, panels

`tests/test_layers.py` checks the rule.
"""
