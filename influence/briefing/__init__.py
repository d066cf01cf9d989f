"""The monthly briefing: one edition assembled from every app's briefing section.

- `edition`: builds an edition (every registered section, in its language, for its
  audience, as things stand on the render date) and the HTML shared by the browser
  preview and the PDF;
- `sections`: influence's own sections (the political calendar ahead, objectives and
  their progress, with their key figures);
- `document`: the briefing as a document of the generic PDF job (`core.pdf_jobs`).
"""
