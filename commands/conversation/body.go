package conversation

// bodyIndent lines a message's text up under its header line, past the time stamp.
const bodyIndent = "                  " // len("2006-01-02 15:04  ")
