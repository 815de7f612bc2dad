"""Words on screen that something outside the page looks for: the load test and the browser tests
find widgets and results by them. One definition each, so a page and its testers cannot drift apart.
No Streamlit here: the load test imports this module without starting an app.
"""

SENTENCE_PICKER = "German sentence"
TYPE_YOUR_OWN = "✏️ Type your own German sentence…"
TYPED_SENTENCE = "Your sentence"

TRAIN_EXPANDER = "Train your own model"
TIME_BUDGET = "Time budget (seconds)"
SEED = "Seed"
WAITING_IN_QUEUE = "Waiting for another training to finish"
PREPARING_DATA = "Preparing the training data"
TRAINED = "Your model"  # the start of the message that a training has finished
TRAINING_FAILED = "The training failed"
NOT_ENOUGH_MEMORY = "This server has too little memory for a training right now"
STOPPED_FOR_MEMORY = "The server's memory ran short during the training"
TRAININGS_RUN = "Trainings run on this server since it started"
OWN_MODEL_CAPTION = "Using your model"

ENCODER_HEATMAP_TITLE = "Encoder hidden state after each German token"
DECODER_HEATMAP_TITLE = "Decoder hidden state at each step, labelled with the word it wrote"

FIGURE_NUMBERS = "The numbers in this figure, as a table"  # under every heatmap: its text equivalent
