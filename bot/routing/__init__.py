"""Who handles what: a learned router for students' questions (the school guide's table).

`features` and `model` are plain Python and are all that serving needs; `training` uses
scikit-learn and is only imported by `mentorbot routing train`, the bench and the tests.
"""
