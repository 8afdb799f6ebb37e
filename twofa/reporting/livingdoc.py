def render(run):
    return "<!doctype html><title>todo</title>"
