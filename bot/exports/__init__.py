"""Plan documents (PDF, DOCX) rendered from a language-neutral document model."""
