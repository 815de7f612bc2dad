"""Teaching code for "why word-by-word translation fails, and how an encoder-decoder RNN helps".

Data flows one way: corpus -> text -> lexicon -> charts -> pages. Only `rnn_demo.ui` imports Streamlit.
"""
