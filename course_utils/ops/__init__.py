"""Operations written from scratch, with the same tensor layout (NCHW) and semantics as
``torch.nn.functional``, tested against it."""
